"""The JSON API: shapes, paging links, strict parameters, errors as JSON, CSV export and OpenAPI."""

from __future__ import annotations

import csv
import io
import re

import pytest

from search.request import PARAMETERS
from web import api, exports, openapi

RAW_MARKERS = ("<script>", "<img src=x")


def assert_error(response, status: int, contains: str = "") -> dict:
    """The response is ``{"ok": false, "error", "status"}`` with that HTTP status."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    data = response.get_json()
    assert data["ok"] is False and data["status"] == status and data["error"]
    assert contains in data["error"]
    return data


def test_search_returns_total_paging_links_and_hits(web_client):
    data = web_client.get("/api/v1/search?q=migration&per_page=2").get_json()
    assert data["ok"] is True and data["total"] >= 3 and data["page"] == 1 and data["per_page"] == 2
    assert data["prev"] is None and data["next"].endswith("/api/v1/search?q=migration&page=2&per_page=2")
    hit = data["hits"][0]
    for key in ("id", "url", "title", "date", "speakers", "events", "snippet", "score", "doc_url", "api_url"):
        assert key in hit
    assert hit["doc_url"].endswith(f"/doc/{hit['id']}")
    second = web_client.get(data["next"]).get_json()
    assert second["page"] == 2 and second["prev"].endswith("/api/v1/search?q=migration&per_page=2")
    assert {h["id"] for h in second["hits"]}.isdisjoint({h["id"] for h in data["hits"]})
    last = web_client.get(f"/api/v1/search?q=migration&per_page=2&page={data['pages']}").get_json()
    assert last["next"] is None


def test_html_and_json_show_the_same_results(web_client):
    params = "q=refugee&sort=date&per_page=3"
    ids = [h["id"] for h in web_client.get(f"/api/v1/search?{params}").get_json()["hits"]]
    page = web_client.get(f"/search?{params}").get_data(as_text=True)
    assert re.findall(r'<h2 class="hit-title"><a href="/doc/([^"?]+)', page) == ids


def test_filters_and_dates_narrow_the_results(web_client):
    data = web_client.get("/api/v1/search?speaker=Paolo Reyes").get_json()
    assert data["total"] == 1 and data["hits"][0]["speakers"][0]["name"] == "Paolo Reyes"
    ranged = web_client.get("/api/v1/search?from=2024-01&to=2024-01").get_json()
    assert ranged["total"] >= 2 and all(h["date"].startswith("2024-01") for h in ranged["hits"])


@pytest.mark.parametrize("extra", ["speakr=x", "callback=cb", "format=json", "Q=x"])
def test_unknown_parameters_are_rejected(web_client, extra):
    assert_error(web_client.get(f"/api/v1/search?q=refugee&{extra}"), 400, "unknown parameter")


@pytest.mark.parametrize("name", ["page", "per_page", "sort"])
def test_empty_numbers_and_choices_are_rejected(web_client, name):
    assert_error(web_client.get(f"/api/v1/search?q=refugee&{name}="), 400, "is empty")


def test_the_cache_buster_is_ignored(web_client):
    assert web_client.get("/api/v1/search?q=refugee&_=1700000000").status_code == 200


BAD = [
    ("page=-1", "'page'"),
    ("page=1.5", "'page'"),
    ("per_page=100000", "'per_page'"),
    ("from=notadate", "'from'"),
    ("to=2021-02-30", "'to'"),
    ("from=2024&to=2020", "'from' must not"),
    ("sort=random", "'sort'"),
    ("q=" + "x" * 10_000, "too long"),
    ("q=%00", "NUL"),
]


@pytest.mark.parametrize(("query", "message"), BAD, ids=[q[:20] for q, _ in BAD])
@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/search.csv", "/api/v1/facets"])
def test_bad_parameters_are_400_json(web_client, path, query, message):
    assert_error(web_client.get(f"{path}?{query}"), 400, message)


@pytest.mark.parametrize(
    "q", ['"refugee', "(", "NOT", "title:", "[a TO", "<script>x</script>", "*", "\\", "日本"]
)
def test_odd_queries_are_never_a_server_error(web_client, q):
    response = web_client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code in (200, 400)
    assert response.get_json()["ok"] is (response.status_code == 200)


def test_document_json_with_highlight_and_similar(web_client):
    hit = web_client.get("/api/v1/search?q=detention").get_json()["hits"][0]
    data = web_client.get(f"/api/v1/docs/{hit['id']}?highlight=detention").get_json()
    doc = data["document"]
    assert data["ok"] is True and doc["id"] == hit["id"] and doc["title"] == hit["title"]
    assert "<mark" in doc["body_html"] and doc["body"] and isinstance(data["more_like_this"], list)
    assert "<mark" not in web_client.get(f"/api/v1/docs/{hit['id']}").get_json()["document"]["body_html"]
    assert_error(web_client.get(f"/api/v1/docs/{hit['id']}?q=x"), 400, "unknown parameter")


@pytest.mark.parametrize("doc_id", ["nope", "x" * 300, "<script>"])
def test_unknown_documents_are_404_json(web_client, doc_id):
    assert_error(web_client.get(f"/api/v1/docs/{doc_id}"), 404)


def test_unknown_api_paths_and_methods_are_json_errors(web_client):
    assert_error(web_client.get("/api/v1/nope"), 404)
    response = web_client.post("/api/v1/search")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_facets_give_counts_and_a_histogram(web_client):
    data = web_client.get("/api/v1/facets?q=statement").get_json()
    assert data["ok"] is True and data["total"] >= 2
    assert {"value": "Paolo Reyes", "count": 1} in data["facets"]["speaker"]
    assert data["histogram"] and {"period", "count", "from", "to"} <= set(data["histogram"][0])


def test_suggest_offers_speakers_events_and_words_with_urls(web_client):
    data = web_client.get("/api/v1/suggest?q=pao").get_json()
    assert {"value": "Paolo Reyes", "kind": "speaker", "url": "/speaker/Paolo%20Reyes"} in data["suggestions"]
    words = web_client.get("/api/v1/suggest?q=refu&limit=3").get_json()["suggestions"]
    assert 0 < len(words) <= 3
    assert web_client.get("/api/v1/suggest?q=").get_json()["suggestions"] == []
    assert web_client.get("/api/v1/suggest").get_json()["suggestions"] == []


@pytest.mark.parametrize(
    "query", ["q=pa&limit=0", "q=pa&limit=21", "q=pa&limit=abc", "q=pa&limit=%C2%B2", "q=" + "a" * 300, "x=1"]
)
def test_suggest_rejects_bad_parameters(web_client, query):
    assert_error(web_client.get(f"/api/v1/suggest?{query}"), 400)


def test_csv_export_of_a_search(web_client):
    response = web_client.get("/api/v1/search.csv?q=migration&per_page=2")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="migsearch-migration-p1.csv"'
    assert "page=2" in response.headers["Link"] and 'rel="next"' in response.headers["Link"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == exports.CSV_COLUMNS and len(rows) == 2
    assert "<mark" not in rows[0]["snippet"] and rows[0]["doc_url"].endswith(rows[0]["id"])
    assert int(response.headers["X-Total-Count"]) >= 3


def test_csv_cells_cannot_start_formulas():
    assert exports.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert exports.csv_cell("plain") == "plain" and exports.csv_cell(None) == ""


def test_hostile_documents_stay_data_in_json(web_client):
    text = web_client.get("/api/v1/search?q=asylum&per_page=50").get_data(as_text=True)
    assert "<script>" not in text  # JSON escapes < as \u003c, so no browser can sniff it as HTML
    hits = web_client.get("/api/v1/search?q=Mallory").get_json()["hits"]
    assert hits and "<script>" in hits[0]["speakers"][0]["name"]  # the data itself is kept as given


def test_openapi_document_describes_every_api_route(web_client, web_app):
    spec = web_client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["info"]["title"]
    routes = {
        re.sub(r"<(?:path:)?(\w+)>", r"{\1}", rule.rule)
        for rule in web_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json"
    }
    assert routes <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert names == set(PARAMETERS) | set(api.IGNORED)
    assert openapi.build_spec()["paths"] == spec["paths"]


def test_hostile_snippets_are_spans_of_text_and_escaped_html(web_client):
    """The spans carry the release's text as data; the HTML beside them (and the page) escape it."""
    hits = web_client.get("/api/v1/search?q=asylum+seekers&per_page=50").get_json()["hits"]
    hostile = next(hit for hit in hits if "alert(2)" in "".join(span["text"] for span in hit["snippet_spans"]))
    spans = hostile["snippet_spans"]
    assert "<script>alert(2)</script>" in "".join(span["text"] for span in spans)
    assert [span["text"] for span in spans if span["match"]][:2] == ["Asylum", "seekers"]
    assert "<script" not in hostile["snippet"] and "&lt;script&gt;alert(2)&lt;/script&gt;" in hostile["snippet"]
    assert hostile["snippet"].startswith('<mark class="hl">Asylum</mark> <mark class="hl">seekers</mark>')
    page = web_client.get("/search?q=asylum+seekers&per_page=50").get_data(as_text=True)
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    doc = web_client.get(f"/api/v1/docs/{hostile['id']}?highlight=asylum").get_json()["document"]
    assert "<script" not in doc["body_html"] and any("<script>" in s["text"] for p in doc["body_spans"] for s in p)
