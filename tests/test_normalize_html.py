"""HTML pages: metadata, main text without boilerplate, encodings, broken markup."""

import gzip
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from index.normalize.html import normalize_html, trim_site_suffix

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCHMARK = SHARED / "data" / "article-extraction-benchmark"

PARAGRAPHS = [
    "GENEVA – The Director General of the migration agency, Ms. Amy Pope, opened the annual council "
    "session on Tuesday, calling on states to expand regular pathways for people on the move.",
    "“No country can manage migration alone,” she told delegates, adding that remittances had reached "
    "a record level last year, according to the agency's figures.",
    "Delegations from more than 100 member states are attending the three-day meeting, which will also "
    "discuss the response to displacement caused by floods, droughts and conflict.",
]

RELEASE_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Council session opens in Geneva | Migration Agency</title>
  <meta property="og:title" content="Council session opens in Geneva">
  <meta property="og:site_name" content="Migration Agency">
  <meta name="description" content="The annual council session opened on Tuesday.">
  <link rel="canonical" href="https://agency.example.org/news/council-session-opens">
  <script type="application/ld+json">
  {{"@context": "https://schema.org", "@graph": [
     {{"@type": "WebSite", "name": "Migration Agency"}},
     {{"@type": "NewsArticle", "headline": "Council session opens in Geneva",
      "datePublished": "2023-11-28T09:30:00+01:00", "author": {{"@type": "Person", "name": "Press Office"}}}}
  ]}}
  </script>
  <style>.cookie {{ position: fixed; }}</style>
  <script>var tracking = "do not index this script";</script>
</head>
<body>
  <div class="cookie-banner" id="cookie-notice">We use cookies to improve your experience. Accept all</div>
  <header class="site-header">
    <a href="/">Migration Agency</a>
    <nav class="main-menu"><ul><li><a href="/about">About us</a></li><li><a href="/news">Newsroom</a></li>
      <li><a href="/data">Data portal</a></li></ul></nav>
  </header>
  <div class="breadcrumb"><a href="/">Home</a> › <a href="/news">News</a></div>
  <main>
    <article>
      <h1>Council session opens in Geneva</h1>
      <div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
      <div class="article-body">
        <p>{PARAGRAPHS[0]}</p>
        <p>{PARAGRAPHS[1]}</p>
        <!-- editor's note: hidden comment text -->
        <p>{PARAGRAPHS[2]}</p>
      </div>
      <form class="newsletter-signup"><label>Subscribe to our newsletter</label><input type="email"></form>
      <section class="related-articles"><h2>Related news</h2><ul>
        <li><a href="/n/1">Floods displace thousands in the region</a></li>
        <li><a href="/n/2">New data portal on remittances launched</a></li></ul></section>
    </article>
  </main>
  <aside class="sidebar"><h3>Most read</h3><p>Sidebar teaser about a different story.</p></aside>
  <footer><p>© 2023 Migration Agency. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body>
</html>
"""


@pytest.fixture(scope="module")
def release():
    return normalize_html(RELEASE_PAGE.encode("utf-8"), url="https://agency.example.org/news/123")


def test_release_metadata(release):
    assert release.title == "Council session opens in Geneva"
    assert release.date == date(2023, 11, 28)
    assert release.language == "en-GB"
    assert release.url == "https://agency.example.org/news/council-session-opens"
    assert release.metadata == {
        "description": "The annual council session opened on Tuesday.",
        "site_name": "Migration Agency",
        "author": "Press Office",
    }


def test_release_main_text(release):
    for paragraph in PARAGRAPHS:
        assert paragraph in release.body
    assert release.body.count("\n\n") == 2  # one blank line between the three paragraphs


@pytest.mark.parametrize(
    "boilerplate",
    ["cookies", "About us", "Newsroom", "Home", "Share on", "Subscribe", "Related news", "Floods displace",
     "Most read", "Sidebar teaser", "All rights reserved", "Privacy Policy", "tracking", "editor's note",
     "position: fixed", "Council session opens"],
)
def test_release_boilerplate_removed(release, boilerplate):
    assert boilerplate not in release.body


def test_title_order_og_then_h1_then_title():
    page = "<html><head><title>Page title - Site</title>{og}</head><body>{h1}<p>Text.</p></body></html>"
    og = '<meta property="og:title" content="OG headline">'
    assert normalize_html(page.format(og=og, h1="<h1>H1 headline</h1>")).title == "OG headline"
    assert normalize_html(page.format(og="", h1="<h1>H1 headline</h1>")).title == "H1 headline"
    assert normalize_html(page.format(og="", h1="")).title == "Page title - Site"
    with_site = page.replace("<head>", '<head><meta property="og:site_name" content="Site">')
    assert normalize_html(with_site.format(og="", h1="")).title == "Page title"


def test_trim_site_suffix():
    assert trim_site_suffix("Ministers meet in Rome | The Daily Site", None) == "Ministers meet in Rome"
    assert trim_site_suffix("Refugees - the new reality", None) == "Refugees - the new reality"
    assert trim_site_suffix("Agency News: Ministers meet", "Agency News") == "Ministers meet"


def test_broken_html_survives():
    page = b"<html><body><div><p>First paragraph of text that is long enough to be kept.<p>Second <b>bold"
    doc = normalize_html(page + b"<table><tr><td>cell</div></span></body>")
    assert "First paragraph of text" in doc.body
    assert "Second bold" in doc.body


@pytest.mark.parametrize("data", [b"", "", b"   ", "<html></html>", "<!-- only a comment -->", "just words"])
def test_empty_and_trivial_documents(data):
    doc = normalize_html(data, url="https://x.example/")
    assert isinstance(doc.title, str)
    assert isinstance(doc.body, str)
    assert doc.url == "https://x.example/"


def test_markup_resembling_a_url_or_xml_does_not_warn():
    assert normalize_html("https://example.org/page").body == "https://example.org/page"
    doc = normalize_html('<?xml version="1.0"?><rss><channel><title>Feed</title></channel></rss>')
    assert doc.title == "Feed"


def test_cp1251_page_declared_in_meta():
    text = "Мигранты смогут получить патент на работу через портал госуслуг, сообщили в министерстве."
    page = (
        '<html lang="ru"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>Патенты для мигрантов</title></head><body><article><p>{text}</p>"
        "<p>Дата публикации: 16 октября 2024 года</p></article></body></html>"
    )
    doc = normalize_html(page.encode("cp1251"))
    assert doc.title == "Патенты для мигрантов"
    assert text in doc.body
    assert doc.language == "ru"
    assert doc.date == date(2024, 10, 16)


def test_utf16_with_bom():
    page = '<html><head><meta charset="utf-16"><title>Überblick</title></head><body><p>Grüße aus Genf.</p>'
    doc = normalize_html(page.encode("utf-16"))
    assert doc.title == "Überblick"
    assert "Grüße aus Genf." in doc.body


def test_declared_charset_argument():
    page = "<html><body><p>Réfugiés accueillis à Genève cette semaine.</p></body></html>"
    doc = normalize_html(page.encode("cp1252"), declared_charset="windows-1252")
    assert "Réfugiés accueillis à Genève" in doc.body


def test_dates_from_time_element_and_text():
    page = '<html><body><article><time datetime="2021-03-12">12 March</time><p>Body text.</p></article>'
    assert normalize_html(page).date == date(2021, 3, 12)
    page = "<html><body><p>Posted on 5 April 2020</p><p>Body text.</p><p>© 2024 Site</p></body></html>"
    assert normalize_html(page).date == date(2020, 4, 5)
    page = "<html><body><p>Body text without a date.</p><footer>© 2024 Site</footer></body></html>"
    assert normalize_html(page).date is None


def test_densest_block_without_semantic_tags():
    story = "The council adopted the resolution after a long debate, with 40 votes in favour. " * 6
    page = (
        "<html><body><div id='top'><a href='/'>Home</a> <a href='/a'>Archive</a> <a href='/c'>Help</a></div>"
        f"<div id='col'><div class='c'><p>{story}</p><p>{story}</p></div>"
        "<div class='links'><a href='/x'>Other story one</a><br><a href='/y'>Other story two</a></div></div>"
        "</body></html>"
    )
    body = normalize_html(page).body
    assert story.strip() in body
    assert "Archive" not in body
    assert "Other story" not in body


def test_huge_page_is_handled():
    paragraph = "<p>" + "Migration statistics were published today for the region. " * 5 + "</p>"
    page = "<html><body><article>" + paragraph * 3000 + "</article></body></html>"
    doc = normalize_html(page)
    assert doc.body.count("\n\n") >= 2999


_TOKEN_RE = re.compile(r"\w+")


def _recall(true: str, pred: str) -> float:
    true_tokens = Counter(_TOKEN_RE.findall(true))
    pred_tokens = Counter(_TOKEN_RE.findall(pred))
    total = sum(true_tokens.values())
    return sum((true_tokens & pred_tokens).values()) / total if total else 1.0


@pytest.mark.corpus
def test_article_extraction_benchmark_recall():
    truth_path = BENCHMARK / "ground-truth.json"
    if not truth_path.exists():
        pytest.skip(f"article-extraction-benchmark not found at {BENCHMARK} (only present in the dev setup)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    ids = sorted(truth)[::9][:15]
    recalls = []
    for page_id in ids:
        html = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
        doc = normalize_html(html, url=truth[page_id]["url"])
        recalls.append(_recall(truth[page_id]["articleBody"], doc.body))
    assert len(recalls) == 15
    # Measured 0.99 (lowest page 0.93) on this sample; trafilatura 2.3 gets 0.99 too.
    assert sum(recalls) / len(recalls) > 0.95
