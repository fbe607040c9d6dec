/* The filters control on narrow screens: the facets sit in a <details> that starts closed there and
   open on wide screens (where its summary is hidden). Without this file the filters are simply open. */
(function () {
  "use strict";
  function setUp(details) {
    const query = window.matchMedia("(max-width: " + (details.getAttribute("data-collapse-below") || "48rem") + ")");
    const apply = function () { details.open = !query.matches; };
    apply();
    if (query.addEventListener) { query.addEventListener("change", apply); }
  }
  function init() {
    document.querySelectorAll("details[data-collapse-below]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
