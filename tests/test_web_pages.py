"""The HTML pages through Flask's test client: every route, parameter, error and escaping rule."""

from __future__ import annotations

import html
import re
import threading
import urllib.request

import pytest
from markupsafe import escape

from web import chart, pages, serve
from web.links import safe_href

# Markers of the hostile documents and queries; none may ever reach a page unescaped.
RAW_MARKERS = ("<script>", "<img src=x", "javascript:alert")
HREF = re.compile(r'href="([^"]*)"')


def body_of(response) -> str:
    """The response text, after checking nothing hostile is in it raw."""
    text = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in text, f"{marker!r} rendered raw in {response.request.path}"
    return text


def links(text: str, contains: str = "") -> list[str]:
    """The unescaped hrefs of a page (those containing ``contains``)."""
    return [html.unescape(h) for h in HREF.findall(text) if contains in html.unescape(h)]


def hit_dates(text: str) -> list[str]:
    return re.findall(r'<article class="hit">.*?<time datetime="([0-9-]+)"', text, re.S)


def test_home_has_a_search_form_that_works_without_javascript(web_client):
    response = web_client.get("/")
    text = body_of(response)
    assert response.status_code == 200
    assert '<form class="search-form" action="/search" method="get" role="search">' in text
    assert '<label for="q"' in text and 'id="q" name="q"' in text
    assert "/speaker/Paolo%20Reyes" in text  # browse by speaker
    assert "releases" in text


def test_search_shows_ranked_hits_with_highlights_total_facets_and_chart(web_client):
    text = body_of(web_client.get("/search?q=refugee"))
    assert "Results for “refugee”" in text
    assert re.search(r"<strong>\d+</strong> releases", text)
    assert '<mark class="hl' in text
    assert 'aria-labelledby="facets-heading"' in text and "Sources" in text
    assert '<svg class="histogram wide"' in text and '<svg class="histogram narrow"' in text
    assert 'aria-label="Sort order"' in text
    assert "/api/v1/search?q=refugee" in text and "/search.atom?q=refugee" in text


def test_a_facet_click_adds_a_filter_which_can_be_removed(web_client):
    text = body_of(web_client.get("/search?q=statement"))
    facet = [h for h in links(text, "speaker=Paolo") if h.startswith("/search")]
    assert facet, "a speaker facet link"
    filtered = body_of(web_client.get(facet[0]))
    assert "Speaker: <strong>Paolo Reyes</strong>" in filtered
    assert 'type="hidden" name="speaker" value="Paolo Reyes"' in filtered  # a new query keeps it
    results = re.sub(r"<aside.*</aside>", "", filtered, flags=re.S)
    assert "Paolo Reyes" in results and "Ana Beltrán" not in results
    remove = re.search(
        r'<a class="chip-remove" href="([^"]+)" aria-label="Remove filter Speaker: Paolo Reyes"', filtered
    )
    assert remove
    back = body_of(web_client.get(html.unescape(remove.group(1))))
    assert "chip-remove" not in back and "Results for “statement”" in back


def test_paging_links_walk_through_the_results(web_client):
    first = body_of(web_client.get("/search?per_page=3"))
    assert "page 1 of" in first
    nxt = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert nxt and "page=2" in nxt.group(1)
    second = body_of(web_client.get(html.unescape(nxt.group(1))))
    assert "page 2 of" in second and 'rel="prev"' in second
    assert set(hit_dates(first)).isdisjoint(hit_dates(second)) or hit_dates(first) != hit_dates(second)
    beyond = web_client.get("/search?per_page=3&page=999")
    assert beyond.status_code == 200 and "Go to the first page" in body_of(beyond)


def test_sort_switch_orders_by_date_both_ways(web_client):
    text = body_of(web_client.get("/search?q=migration"))
    newest = [h for h in links(text, "sort=date") if "sort=date" in h]
    assert newest
    dates = hit_dates(body_of(web_client.get(newest[0] + "&per_page=50")))
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)
    oldest = hit_dates(body_of(web_client.get("/search?q=migration&sort=-date&per_page=50")))
    assert oldest == sorted(oldest)
    assert '<span class="current" aria-current="true">Newest first</span>' in body_of(
        web_client.get("/search?q=migration&sort=date")
    )


def test_did_you_mean_is_a_link_to_the_better_spelling(web_client):
    text = body_of(web_client.get("/search?q=detension"))
    match = re.search(r'Did you mean <a href="([^"]+)"[^>]*>([^<]+)</a>', text)
    assert match and match.group(2) == "detention"
    assert "No releases match" not in body_of(web_client.get(html.unescape(match.group(1))))


def test_the_empty_page_helps(web_client):
    text = body_of(web_client.get("/search?q=kangaroo&country=Colombia"))
    assert "No releases match “kangaroo” with these filters." in text
    assert "Remove the filter" in text and "fewer or more general words" in text


@pytest.mark.parametrize("extra", ["utm_source=news", "callback=x", "_=123", "q2=1"])
def test_unknown_parameters_are_ignored_by_the_html_search(web_client, extra):
    assert web_client.get(f"/search?q=refugee&{extra}").status_code == 200


BAD_PARAMETERS = [
    ("page=-1", "'page' must be between 1 and 1000"),
    ("page=abc", "'page' must be a whole number"),
    ("per_page=100000", "'per_page' must be between 1 and 100"),
    ("per_page=0", "'per_page' must be between 1 and 100"),
    ("from=notadate", "'from' must be a date"),
    ("from=2021-13", "'from' is not a real date"),
    ("to=2021-02-30", "'to' is not a real date"),
    ("from=2024&to=2023", "'from' must not be after 'to'"),
    ("sort=bogus", "'sort' must be one of"),
    ("q=" + "x" * 10_000, "'q' is too long"),
    ("q=a%00b", "NUL"),
    ("speaker=" + "y" * 500, "'speaker' is too long"),
]


@pytest.mark.parametrize(("query", "message"), BAD_PARAMETERS, ids=[q[:20] for q, _ in BAD_PARAMETERS])
@pytest.mark.parametrize("path", ["/search", "/speaker/Paolo Reyes", "/search.atom", "/facet/speaker"])
def test_bad_parameters_give_a_400_page_with_the_reason(web_client, path, query, message):
    response = web_client.get(f"{path}?{query}")
    text = body_of(response)
    if path == "/search.atom" and query.startswith(("page", "per_page", "sort")):
        assert response.status_code == 200  # the feed sets its own order and size
        return
    if path.startswith("/speaker/") and query.startswith("speaker="):
        assert response.status_code == 200  # the path names the speaker
        return
    assert response.status_code == 400
    assert str(escape(message)) in text
    assert "<h1>This search cannot be run as given</h1>" in text and 'role="search"' in text


ODD_QUERIES = [
    '"refugee',
    'refugee"',
    '"',
    "(",
    ")))(((",
    "AND",
    "OR OR",
    "NOT",
    "title:",
    'speaker:"',
    "*",
    "?",
    "[a TO",
    "date:>2024",
    "date:<notadate",
    "\\",
    "refugee^",
    "~2",
    "field:value:other",
    "'",
    "<script>alert(1)</script>",
    "a" * 999,
    "🙂 refugee",
    "日本語",
    "%",
    "{}",
    "a:b:c",
    "/",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_never_fail_and_are_escaped(web_client, q):
    response = web_client.get("/search", query_string={"q": q})
    assert response.status_code in (200, 400)
    text = body_of(response)
    if "<" in q:
        assert str(escape(q)) in text


def test_hostile_documents_are_escaped_everywhere(web_client):
    for path in ("/search?q=minister", "/search?q=asylum", "/search?q=border&sort=date", "/"):
        text = body_of(web_client.get(path))
        assert "&lt;script&gt;" in text or path == "/"
    api = web_client.get("/api/v1/search", query_string={"q": "asylum", "per_page": 50}).get_json()
    for hit in api["hits"]:
        if "script" in hit["title"]:
            body_of(web_client.get(f"/doc/{hit['id']}?q=asylum"))
    hostile = web_client.get("/api/v1/search?q=Mallory").get_json()["hits"]
    assert hostile, "the hostile record is indexed"
    doc_page = body_of(web_client.get(f"/doc/{hostile[0]['id']}"))
    assert "original release" not in doc_page  # its javascript: url is not linked
    for speaker in hostile[0]["speakers"]:
        body_of(web_client.get("/speaker/" + speaker["name"]))
    for event in hostile[0]["events"]:
        body_of(web_client.get("/event/" + event))


def test_document_page_shows_the_release_with_highlights_and_similar(web_client):
    hits = web_client.get("/api/v1/search?q=detention").get_json()["hits"]
    doc_id = hits[0]["id"]
    text = body_of(web_client.get(f"/doc/{doc_id}?q=detention"))
    assert f"<h1>{html.escape(hits[0]['title'], quote=False)}</h1>" in text
    assert '<mark class="hl' in text and "<dt>Date</dt>" in text and "<dt>Source</dt>" in text
    assert "Back to results for “detention”" in text
    assert "More like this" in text
    assert 'rel="noopener noreferrer nofollow"' in text  # its source URL is linked
    plain = body_of(web_client.get(f"/doc/{doc_id}"))
    assert "<mark" not in plain.split('<div class="body">')[1].split("</div>")[0]


def test_document_page_lists_speakers_events_and_countries_as_links(web_client):
    hit = web_client.get("/api/v1/search?speaker=Paolo Reyes").get_json()["hits"][0]
    text = body_of(web_client.get(f"/doc/{hit['id']}"))
    assert '<a class="speaker" href="/speaker/Paolo%20Reyes">Paolo Reyes</a>' in text
    assert "/event/Global%20Forum%20on%20Migration%20and%20Development" in text
    assert "/search?country=Philippines" in text


@pytest.mark.parametrize("doc_id", ["nope", "0" * 16, "x" * 300, "../../etc/passwd", "<script>"])
def test_unknown_documents_are_404_pages(web_client, doc_id):
    response = web_client.get("/doc/" + doc_id)
    assert response.status_code == 404
    assert "Not found" in body_of(response)


def test_speaker_page_lists_everything_by_them_newest_first(web_client):
    text = body_of(web_client.get("/speaker/Paolo Reyes"))
    assert '<span class="kind">Speaker</span> Paolo Reyes' in text
    assert "Newest first</span>" in text and "Refine" in text
    dates = hit_dates(text)
    assert dates and dates == sorted(dates, reverse=True)
    relevance = [h for h in links(text, "sort=relevance") if h.startswith("/speaker/")]
    assert relevance, "sorting stays on the speaker page"
    assert web_client.get(relevance[0]).status_code == 200


def test_event_page_and_leaving_its_filter(web_client):
    text = body_of(web_client.get("/event/Global Forum on Migration and Development"))
    assert "Ana Beltrán" in text and "Paolo Reyes" in text
    remove = re.search(r'<a class="chip-remove" href="([^"]+)" aria-label="Remove filter Event', text)
    assert remove and html.unescape(remove.group(1)).startswith("/search")


def test_unknown_speaker_is_a_404_that_suggests_names_like_it(web_client):
    response = web_client.get("/speaker/Nobody Atall")
    assert response.status_code == 404 and "No releases name the speaker" in body_of(response)
    near = body_of(web_client.get("/speaker/Elena Marchety"))
    assert "Did you mean" in near and 'href="/speaker/Elena%20Marchetti"' in near
    event = web_client.get("/event/Regional Forum on Labor Migraton")
    assert event.status_code == 404 and "/event/Regional%20Forum%20on%20Labour%20Migration" in body_of(event)


def test_a_chart_bar_narrows_the_dates(web_client):
    text = body_of(web_client.get("/search?q=migration"))
    bars = links(text.split('<svg class="histogram wide"')[1].split("</svg>")[0])
    assert bars and all("from=" in bar and "to=" in bar for bar in bars)
    narrowed = body_of(web_client.get(bars[0]))
    assert "From: <strong>" in narrowed and "To: <strong>" in narrowed


def test_sidebar_shows_ten_values_per_facet_and_a_page_with_all_of_them(web_client):
    text = body_of(web_client.get("/search?sort=date"))
    speakers = text.split('id="facet-speaker"')[1].split("</section>")[0]
    assert speakers.count("<li>") == 10
    more = links(speakers, "/facet/speaker")
    assert more == ["/facet/speaker?sort=date"]
    page = body_of(web_client.get(more[0]))
    assert "<h1" in page and "Speakers" in page and 'href="/search?sort=date"' in page  # back to the results
    values = links(page.split('id="facet-heading"')[1], "speaker=")
    assert len(values) > 10 and all(v.startswith("/search?sort=date&speaker=") for v in values)
    assert "&lt;script&gt;alert(4)&lt;/script&gt; Mallory" in page  # a hostile speaker, escaped
    filtered = body_of(web_client.get(values[0]))
    assert "chip-remove" in filtered


def test_facet_page_keeps_the_search_and_refuses_unknown_facets(web_client):
    page = body_of(web_client.get("/facet/country?q=migration&speaker=Paolo Reyes"))
    assert "in releases matching “migration”" in page
    assert all("q=migration" in v and "speaker=Paolo+Reyes" in v for v in links(page, "country="))
    assert 'aria-current="true"' not in page.split('id="facet-heading"')[1]
    active = body_of(web_client.get("/facet/speaker?speaker=Paolo Reyes"))
    assert 'aria-current="true">Paolo Reyes</span>' in active
    assert web_client.get("/facet/<script>").status_code == 404
    assert web_client.get("/facet/month").status_code == 404


def test_scoped_page_links_keep_the_scope(web_client):
    text = body_of(web_client.get("/speaker/Paolo Reyes?q=migration"))
    countries = [h for h in links(text, "country=") if "/facet/" not in h]
    assert countries and all(h.startswith("/speaker/Paolo%20Reyes?q=migration&country=") for h in countries)
    oldest = [h for h in links(text, "sort=-date")]
    assert oldest == ["/speaker/Paolo%20Reyes?q=migration&sort=-date"]
    assert 'aria-current="true">Paolo Reyes</span>' in text  # the fixed filter shows as active


def test_year_facet_sets_a_date_range(web_client):
    text = body_of(web_client.get("/search?q=migration"))
    year = [h for h in links(text, "from=2024-01-01") if "to=2024-12-31" in h]
    assert year
    assert 'aria-current="true">2024</span>' in body_of(web_client.get(year[0]))


HEADER_PATHS = [
    "/",
    "/search?q=refugee",
    "/api/v1/search",
    "/static/style.css",
    "/nope",
    "/search?page=0",
    "/healthz",
]


@pytest.mark.parametrize("path", HEADER_PATHS)
def test_security_headers_on_every_response(web_client, path):
    with web_client.get(path) as response:
        for name, value in pages.SECURITY_HEADERS.items():
            assert response.headers[name] == value
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/search?q=refugee", "/speaker/Paolo Reyes", "/search?page=0"])
def test_pages_need_no_inline_script_or_style(web_client, path):
    text = web_client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert not re.search(r"\sstyle=", text) and "<style" not in text
    assert not re.search(r"\son[a-z]+=", text)
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")  # no external resources


def test_healthz_reports_the_index(web_client):
    data = web_client.get("/healthz").get_json()
    assert data["ok"] is True and data["index_present"] is True and data["documents"] >= 10


def test_an_empty_data_directory_gives_helpful_pages(tmp_path):
    from web import create_app
    from web.services import get_service

    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)})
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    assert "The index is empty" in client.get("/").get_data(as_text=True)
    assert client.get("/search?q=x").status_code == 200
    assert client.get("/api/v1/search?q=x").get_json()["total"] == 0
    get_service(app).close()


def test_static_files_are_served(web_client):
    with web_client.get("/static/style.css") as style:
        assert style.status_code == 200 and b":focus-visible" in style.data
    with web_client.get("/static/suggest.js") as script:
        assert script.status_code == 200 and b"aria-activedescendant" in script.data


def test_histogram_svg_escapes_and_links():
    buckets = [
        {"period": "2021", "count": 3, "from": "2021-01-01", "to": "2021-12-31"},
        {"period": "2023", "count": 1, "from": "2023-01-01", "to": "2023-12-31"},
    ]
    svg = str(chart.render_histogram(buckets, lambda lo, hi: f"/search?q=<x>&from={lo}&to={hi}"))
    assert svg.count("<a ") == 2 and "2022: 0 documents" in svg  # the gap is drawn, without a link
    assert "q=&lt;x&gt;&amp;from=2021-01-01" in svg and "<x>" not in svg
    assert chart.render_histogram([], lambda lo, hi: "") == ""
    months = chart.fill_gaps([{"period": "2023-11", "count": 1}, {"period": "2024-02", "count": 2}])
    assert [b["period"] for b in months] == ["2023-11", "2023-12", "2024-01", "2024-02"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x", "https://a.example/x"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:x", None),
        ("data:text/html,x", None),
        ("//evil.example", None),
        ("http://", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_links_from_documents_are_linked(url, expected):
    assert safe_href(url) == expected


def test_serve_command_runs_gunicorn_workers_on_loopback(web_app, monkeypatch):
    calls = {}

    def fake_run_gunicorn(app, options, on_ready=None):
        calls.update(options=options, debug=app.debug)
        on_ready("http://127.0.0.1:8123/")

    monkeypatch.setattr(serve, "run_gunicorn", fake_run_gunicorn)
    runner = web_app.test_cli_runner()
    result = runner.invoke(args=["serve", "--port", "8123", "--threads", "3"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    options = calls["options"]
    assert options["bind"] == ["127.0.0.1:8123"]
    assert options["workers"] == serve.default_workers() >= 1
    assert options["threads"] == 3 and options["worker_class"] == "gthread" and options["preload_app"]
    assert calls["debug"] is False
    assert runner.invoke(args=["serve", "--workers", "3"]).exit_code == 0
    assert calls["options"]["workers"] == 3
    result = runner.invoke(args=["serve", "--host", "0.0.0.0", "--port", "8123"])
    assert "reachable from other machines" in result.output
    assert runner.invoke(args=["serve", "--port", "70000"]).exit_code != 0
    assert runner.invoke(args=["serve", "--workers", "0"]).exit_code != 0


def test_serve_falls_back_to_waitress_without_gunicorn(web_app, monkeypatch):
    calls = {}

    class FakeServer:
        effective_host, effective_port = "127.0.0.1", 8123

        def run(self):
            calls["run"] = True

        def close(self):
            calls["close"] = True

    def fake_make_server(app, host, port, threads):
        calls.update(host=host, port=port, threads=threads)
        return FakeServer()

    monkeypatch.setattr(serve, "_have_gunicorn", lambda: False)
    monkeypatch.setattr(serve, "make_server", fake_make_server)
    runner = web_app.test_cli_runner()
    result = runner.invoke(args=["serve", "--port", "8123", "--threads", "3", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert calls == {"host": "127.0.0.1", "port": 8123, "threads": 6, "run": True, "close": True}


def test_make_server_serves_the_app_on_loopback(web_app):
    server = serve.make_server(web_app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = serve.server_url(server)
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "search?q=refugee", timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert response.headers["X-Frame-Options"] == "DENY"
            assert b"Results for" in response.read()
    finally:
        server.close()
        thread.join(timeout=5)


LINK_NAMES = ["Paolo Reyes", "Ana Beltrán", "a/b", "<script>&?#%", "O'Neil (PM)", "x+y=z", "../etc"]


@pytest.mark.parametrize("name", LINK_NAMES)
def test_quick_links_equal_what_url_for_builds(web_app, name):
    from datetime import date
    from urllib.parse import parse_qs, quote_plus, urlsplit

    from flask import url_for

    from search.request import SearchRequest
    from web.links import Scope, name_url

    def same(left: str, right: str) -> bool:
        a, b = urlsplit(left), urlsplit(right)
        return a.path == b.path and parse_qs(a.query) == parse_qs(b.query)

    with web_app.test_request_context("/search"):
        assert name_url("views.speaker", name) == url_for("views.speaker", name=name)
        assert name_url("views.document", name, arg="doc_id") == url_for("views.document", doc_id=name)
        requests = [
            SearchRequest(),
            SearchRequest(q=name, sort="date", page=3, per_page=20),
            SearchRequest(q="x", speaker=name, date_from=date(2001, 1, 1)),
        ]
        scopes = [Scope(), Scope("views.speaker", "speaker", name, "date")]
        for req in requests:
            for scope in scopes:
                if scope.fixed:
                    req = req.with_changes(speaker=name)
                for key in ("country", "speaker"):
                    target = req.with_changes(**{key: "Zed & Co"})
                    assert same(scope.prefix(req, key) + f"{key}={quote_plus('Zed & Co')}", scope.url(target))
                narrowed = req.with_changes(date_from=date(1999, 1, 1), date_to=date(1999, 12, 31))
                assert same(scope.prefix(req, "from", "to") + "from=1999-01-01&to=1999-12-31", scope.url(narrowed))
