/* Completions for the search box from /api/v1/suggest: an ARIA 1.2 combobox with keyboard support.
   Progressive enhancement: without this file the form still submits to /search. */
(function () {
  "use strict";
  const KIND_LABELS = { speaker: "Speaker", event: "Event", title: "Word" };
  const DELAY_MS = 150;
  const MIN_CHARS = 2;
  let counter = 0;

  function enhance(input) {
    const endpoint = input.getAttribute("data-suggest-url");
    const form = input.form;
    const list = document.createElement("ul");
    const status = document.createElement("div");
    const listId = input.id + "-suggestions";
    let items = [];
    let active = -1;
    let timer = 0;
    let controller = null;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      const options = list.children;
      if (!options.length) return;
      active = (index + options.length) % options.length;
      for (let i = 0; i < options.length; i += 1) {
        options[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      const item = items[index];
      if (!item) return;
      close();
      if (item.kind === "title") {
        const words = input.value.replace(/\s+$/, "").split(/\s+/);
        words[words.length - 1] = item.value;
        input.value = words.join(" ");
        form.submit();
      } else {
        window.location.assign(item.url);
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (item, index) {
        const option = document.createElement("li");
        const value = document.createElement("span");
        const kind = document.createElement("span");
        counter += 1;
        option.id = listId + "-" + counter;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        value.textContent = item.value;
        kind.className = "kind";
        kind.textContent = KIND_LABELS[item.kind] || item.kind;
        option.appendChild(value);
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = suggestions.length
        ? suggestions.length + " suggestions; use the up and down arrow keys to pick one."
        : "";
      if (suggestions.length) open(); else close();
    }

    function load() {
      const typed = input.value.trim();
      if (typed.length < MIN_CHARS) { render([]); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      const url = endpoint + "?q=" + encodeURIComponent(typed) + "&limit=8";
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.ok && input.value.trim() === typed) render(data.suggestions || []);
        })
        .catch(function () { /* aborted or offline: the plain form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      const expanded = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) open();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) open();
        highlight(active - 1);
      } else if (event.key === "Enter" && expanded && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && expanded) {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 120); });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
