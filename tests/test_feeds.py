"""Atom feeds of searches: well-formed, newest first, linked to document pages, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from search.request import SearchRequest
from search.results import Hit, SearchResult
from search.spans import Snippet, Span
from web import feeds

NS = {"a": feeds.ATOM_NS}


def parse_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert b"<script>" not in response.data
    return ET.fromstring(response.data)


def test_a_search_feed_lists_releases_newest_first(web_client):
    root = parse_feed(web_client.get("/search.atom?q=migration"))
    assert root.tag == f"{{{feeds.ATOM_NS}}}feed"
    assert root.find("a:title", NS).text == "migsearch: “migration”"
    self_link = root.find("a:link[@rel='self']", NS).get("href")
    assert self_link.endswith("/search.atom?q=migration")
    assert root.find("a:link[@rel='alternate']", NS).get("href").endswith("/search?sort=date&q=migration")
    entries = root.findall("a:entry", NS)
    assert len(entries) >= 3
    updated = [e.find("a:updated", NS).text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.find("a:updated", NS).text == updated[0]
    for entry in entries:
        assert "/doc/" in entry.find("a:id", NS).text
        assert entry.find("a:link[@rel='alternate']", NS).get("href") == entry.find("a:id", NS).text
        assert entry.find("a:author/a:name", NS).text


def test_the_feed_ignores_page_and_sort(web_client):
    plain = web_client.get("/search.atom?q=migration").data
    assert web_client.get("/search.atom?q=migration&sort=-date&page=3&per_page=1").data == plain


def test_feed_with_filters_names_them_and_links_speakers(web_client):
    root = parse_feed(web_client.get("/search.atom?speaker=Paolo Reyes"))
    assert "speaker: Paolo Reyes" in root.find("a:title", NS).text
    entry = root.find("a:entry", NS)
    assert entry.find("a:author/a:name", NS).text == "Paolo Reyes"
    assert entry.find("a:category", NS).get("term") == "Global Forum on Migration and Development"


def test_hostile_documents_are_escaped_in_feeds(web_client):
    root = parse_feed(web_client.get("/search.atom?q=asylum"))
    titles = [e.find("a:title", NS).text for e in root.findall("a:entry", NS)]
    assert any("<script>" in title for title in titles)  # kept as text, escaped in the XML
    for entry in root.findall("a:entry", NS):
        for link in entry.findall("a:link", NS):
            assert not link.get("href").startswith("javascript:")


def test_an_empty_feed_is_still_valid(web_client):
    root = parse_feed(web_client.get("/search.atom?q=kangaroo"))
    assert root.findall("a:entry", NS) == [] and root.find("a:updated", NS).text


def test_the_results_page_announces_its_feed(web_client):
    page = web_client.get("/search?q=refugee").get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml"' in page
        and 'href="/search.atom?q=refugee"' in page
    )


def test_control_characters_from_ocr_do_not_break_the_xml():
    hit = Hit(
        id="d1",
        title="Bad\x0bchars\x00 & <b>",
        url="javascript:x",
        source="s",
        date="2020-02-03",
        language="en",
        speakers=[{"name": "A\x01B", "role": None}],
        events=["E\x1f"],
        organisations=[],
        countries=[],
        score=1.0,
        snippet=Snippet((Span("x <"), Span("y", True), Span("\x08"))),
    )
    result = SearchResult(SearchRequest(q="y"), 1, [hit])
    xml = feeds.atom_feed(
        result, feed_url="http://h/f", html_url="http://h/s", entry_url=lambda i: f"http://h/{i}"
    )
    root = ET.fromstring(xml)
    entry = root.find("a:entry", NS)
    assert entry.find("a:title", NS).text == "Badchars & <b>"
    assert entry.find("a:summary", NS).text == 'x &lt;<mark class="hl">y</mark>'  # HTML, as text of the XML
    assert entry.find("a:updated", NS).text == "2020-02-03T00:00:00Z"
    assert [link.get("rel") for link in entry.findall("a:link", NS)] == ["alternate"]  # no javascript: link


def test_an_undated_release_is_never_dated_1970_in_a_feed():
    hit = Hit(id="d2", title="No date", url=None, source="s", date=None, language="en", speakers=[], events=[],
              organisations=[], countries=[], score=1.0)
    xml = feeds.atom_feed(SearchResult(SearchRequest(q="y"), 1, [hit]), feed_url="http://h/f",
                          html_url="http://h/s", entry_url=lambda i: f"http://h/{i}")
    entry = ET.fromstring(xml).find("a:entry", NS)
    assert not entry.find("a:updated", NS).text.startswith("1970")
    assert entry.find("a:published", NS) is None
