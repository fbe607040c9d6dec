"""Discovery: URL normalization, links and canonical URLs, feeds, sitemaps, URL rules."""

from __future__ import annotations

import gzip
import re

import pytest

from index.crawl.discovery import UrlRules, extract_links, normalize_url, parse_feed, parse_sitemap


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://News.Example.ORG:80/a/b.html#top", "http://news.example.org/a/b.html"),
        ("https://example.org:443", "https://example.org/"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("https://example.org/x?b=2&a=1&utm_source=rss&UTM_Medium=x", "https://example.org/x?a=1&b=2"),
        ("https://example.org/x?sessionid=abc&PHPSESSID=1&fbclid=z&page=2", "https://example.org/x?page=2"),
        ("https://example.org/x;jsessionid=ABC123?id=7", "https://example.org/x?id=7"),
        ("https://example.org/a%7Eb/c d", "https://example.org/a~b/c%20d"),
        ("https://пример.рф/новости", "https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"),
        ("https://example.org/x?q=", "https://example.org/x?q="),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_relative_and_refused() -> None:
    assert normalize_url("../b.html", "https://example.org/news/a/") == "https://example.org/news/b.html"
    assert normalize_url("//cdn.example.org/x", "https://example.org/") == "https://cdn.example.org/x"
    for raw in ("mailto:press@example.org", "javascript:void(0)", "ftp://example.org/", "http://"):
        assert normalize_url(raw, "https://example.org/") is None


def test_extract_links_canonical_feeds_and_nofollow() -> None:
    html = b"""<html><head>
      <base href="https://example.org/news/">
      <link rel="canonical" href="/news/release-1.html?utm_campaign=x">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="stylesheet" href="/style.css">
    </head><body>
      <a href="release-2.html#comments">Two</a>
      <a href="release-2.html">Two again</a>
      <a href="/login" rel="nofollow">Log in</a>
      <a href="mailto:press@example.org">Mail</a>
      <a>no href</a>
    </body></html>"""
    found = extract_links(html, "https://example.org/somewhere/else")
    assert found.links == ["https://example.org/news/release-2.html"]
    assert found.canonical == "https://example.org/news/release-1.html"
    assert found.feeds == ["https://example.org/feed.xml"]


def test_extract_links_survives_junk() -> None:
    assert extract_links(b"", "https://example.org/").links == []
    assert extract_links(b"\x00\xff<<<", "https://example.org/").links == []


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>https://example.org/a.html?utm_source=rss</link></item>
<item><title>B</title><guid isPermaLink="true">https://example.org/b.html</guid></item>
<item><title>C</title><guid isPermaLink="false">tag:example.org,2024:c</guid></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>A</title><link rel="self" href="https://example.org/api/a"/>
<link href="https://example.org/a.html"/></entry>
<entry><title>B</title><link rel="alternate" type="text/html" href="/b.html"/></entry></feed>"""


def test_parse_feeds() -> None:
    assert parse_feed(RSS, "https://example.org/feed.xml") == ["https://example.org/a.html", "https://example.org/b.html"]
    assert parse_feed(ATOM, "https://example.org/atom") == ["https://example.org/a.html", "https://example.org/b.html"]
    assert parse_feed(b"not xml at all", "https://example.org/") == []


def test_feed_parser_ignores_entities() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <rss><channel><item><link>https://example.org/&x;</link></item></channel></rss>"""
    urls = parse_feed(evil, "https://example.org/")
    assert all("root:" not in url for url in urls)


INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://example.org/sitemap-news.xml</loc><lastmod>2024-05-01</lastmod></sitemap>
<sitemap><loc>https://example.org/sitemap-2.xml.gz</loc></sitemap></sitemapindex>"""
NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://example.org/news/a.html</loc><news:news><news:title>A</news:title></news:news></url>
<url><loc> https://EXAMPLE.org/news/b.html </loc><lastmod>2024-05-02</lastmod></url></urlset>"""


def test_sitemap_index_news_and_gzip() -> None:
    index = parse_sitemap(INDEX, "https://example.org/sitemap.xml")
    assert index.sitemaps == ["https://example.org/sitemap-news.xml", "https://example.org/sitemap-2.xml.gz"]
    assert index.urls == []
    news = parse_sitemap(gzip.compress(NEWS), "https://example.org/sitemap-news.xml.gz")
    assert news.urls == ["https://example.org/news/a.html", "https://example.org/news/b.html"]
    assert news.lastmod["https://example.org/news/b.html"] == "2024-05-02"


def test_text_sitemap_and_junk() -> None:
    text = b"https://example.org/a.html\nhttps://example.org/b.html\n\n"
    assert parse_sitemap(text, "https://example.org/sitemap.txt").urls[1] == "https://example.org/b.html"
    assert parse_sitemap(b"\x1f\x8b not really gzip", "https://example.org/s.gz").urls == []


def test_url_rules() -> None:
    rules = UrlRules(
        allow=(re.compile(r"^https://example\.org/news/"),),
        skip=(re.compile(r"/tag/"),),
        release=(re.compile(r"/news/\d{4}-"),),
    )
    assert rules.in_scope("https://example.org/news/2024-a.html")
    assert not rules.in_scope("https://example.org/news/tag/asylum")
    assert not rules.in_scope("https://example.org/about")
    assert rules.is_release("https://example.org/news/2024-a.html")
    assert not rules.is_release("https://example.org/news/")
    hosts_only = UrlRules(hosts=frozenset({"example.org"}))
    assert hosts_only.in_scope("https://example.org/anything")
    assert not hosts_only.in_scope("https://evil.example.com/")
    assert hosts_only.is_release("https://example.org/anything")
