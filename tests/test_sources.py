"""The sources file: valid files load, invalid ones fail with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.crawl.sources import SourcesError, load_sources, parse_sources, sites_for_urls
from index.normalize.selectors import Selectors, normalize_with_selectors

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sources.toml"

VALID = """
[defaults]
max_depth = 1
delay = 0.5

[[sites]]
name = "ministry"
start_urls = ["https://Ministry.example.org/press/#latest"]
feeds = "https://ministry.example.org/press/rss.xml"
allow = ['^https://ministry\\.example\\.org/press/']
skip = ['/tag/']
release = ['/press/\\d{4}/']
language = "ru"
organisation = "Ministry of the Interior"
country = "Russia"
max_pages = 50
selectors = { title = "h1.title", date = "time[datetime]", body = "div.text p" }
"""


def test_valid_file() -> None:
    (site,) = parse_sources(VALID)
    assert site.name == "ministry"
    assert site.start_urls == ("https://ministry.example.org/press/",)
    assert site.feeds == ("https://ministry.example.org/press/rss.xml",)
    assert site.max_depth == 1 and site.max_pages == 50 and site.delay == 0.5
    assert site.rules.in_scope("https://ministry.example.org/press/2024/05/1.html")
    assert not site.rules.in_scope("https://ministry.example.org/press/tag/visa")
    assert site.rules.is_release("https://ministry.example.org/press/2024/05/1.html")
    assert site.selectors == Selectors(title="h1.title", date="time[datetime]", body="div.text p")
    assert site.extra() == {
        "organisations": ["Ministry of the Interior"], "countries": ["Russia"], "language": "ru"
    }


def test_example_file_loads() -> None:
    sites = load_sources(EXAMPLE)
    assert len(sites) >= 4
    assert all(site.seeds() for site in sites)
    assert len({site.name for site in sites}) == len(sites)


def test_every_problem_is_reported() -> None:
    text = """
[defaults]
max_dept = 2

[[sites]]
name = "a"
star_urls = ["https://a.example.org/"]
allow = ['(unclosed']
selectors = { title = "h1[", bogus = "p" }
max_pages = 0
delay = "fast"
language = "English"

[[sites]]
start_urls = ["ftp://b.example.org/"]

[[sites]]
name = "a"
feeds = ["https://a.example.org/rss"]
"""
    with pytest.raises(SourcesError) as caught:
        parse_sources(text, "sources.toml")
    problems = "\n".join(caught.value.problems)
    assert "defaults: unknown key 'max_dept' (did you mean 'max_depth'?)" in problems
    assert "sites[0] (a): unknown key 'star_urls' (did you mean 'start_urls'?)" in problems
    assert "sites[0] (a): give at least one of start_urls, feeds, sitemaps" in problems
    assert "sites[0] (a).allow: bad regular expression '(unclosed'" in problems
    assert "sites[0] (a).selectors.title: bad CSS selector 'h1['" in problems
    assert "sites[0] (a).selectors: unknown key 'bogus'" in problems
    assert "sites[0] (a).max_pages: must be at least 1" in problems
    assert "sites[0] (a).delay: expected a number, got 'fast'" in problems
    assert "sites[0] (a).language: expected a language code" in problems
    assert "sites[1]: 'name' is required" in problems
    assert "'ftp://b.example.org/' is not an http(s) URL" in problems
    assert "site name 'a' is used more than once" in problems
    assert str(caught.value).startswith("sources.toml: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[sites]\nname = 1", "not valid TOML"),
        ("", "expected at least one [[sites]] table"),
        ("sites = 3", "expected at least one [[sites]] table"),
        ('[[sites]]\nname = "x"\nstart_urls = [1, 2]', "expected a list of strings"),
        ('[[sites]]\nname = "x"\nstart_urls = ["https://x.org/"]\nmax_depth = 1.5', "expected an integer"),
    ],
)
def test_single_problems(text: str, message: str) -> None:
    with pytest.raises(SourcesError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_sources(text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "nope.toml")


def test_sites_for_command_line_urls() -> None:
    sites = sites_for_urls(["https://a.example.org/news/", "https://a.example.org/press", "https://b.example.org"])
    assert [site.name for site in sites] == ["a.example.org", "b.example.org"]
    assert sites[0].start_urls == ("https://a.example.org/news/", "https://a.example.org/press")
    assert sites[0].rules.in_scope("https://a.example.org/elsewhere")
    assert not sites[0].rules.in_scope("https://b.example.org/")
    with pytest.raises(SourcesError, match="not an http"):
        sites_for_urls(["example.org/news"])


def test_selectors_override_the_generic_normalizer() -> None:
    html = """<html><head><meta charset="windows-1251"><title>Сайт | Главная</title></head><body>
    <div class="menu"><a href="/">Главная</a></div>
    <h1 class="title">Пресс-релиз о миграции</h1>
    <p>Опубликовано: <time datetime="2024-05-16">16 мая</time></p>
    <div class="text"><p>Первый абзац текста релиза.</p><p>Второй абзац.</p></div>
    </body></html>""".encode("cp1251")
    selectors = Selectors(title="h1.title", date="time[datetime]", body="div.text p")
    headers = {"content-type": "text/html"}
    normalized = normalize_with_selectors(html, "https://x.example.org/1", headers, selectors)
    assert normalized.title == "Пресс-релиз о миграции"
    assert normalized.date is not None and normalized.date.isoformat() == "2024-05-16"
    assert normalized.body == "Первый абзац текста релиза.\n\nВторой абзац."
    assert "Главная" not in normalized.body
