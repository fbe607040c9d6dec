"""Speaker pages, quote views, the phone layout and exports in a real Chromium (Playwright).

Uses the live server and browser of ``test_browser`` (the sample releases plus hostile documents);
skips with the reason where no Chromium exists.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright): no browser tests"
)

from test_browser import TIMEOUT_MS, browser, live_url, page, shot  # noqa: E402,F401 - fixtures

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):  # noqa: F811 - the fixture imported above
    """A 390 px wide page that fails the test on script errors."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()
    assert not problems, problems


def test_a_quote_search_shows_who_said_it(page, live_url):  # noqa: F811
    expect = sync_api.expect
    page.goto(live_url + "/search?q=quote:migration")
    card = page.locator("article.hit").first
    quote = card.locator("blockquote.quote-snippet")
    expect(quote).to_be_visible()
    expect(quote.locator("mark").first).to_have_text(re.compile("migration", re.I))
    speaker = quote.locator("footer a.speaker")
    name = speaker.inner_text()
    assert name and quote.inner_text().count("said") >= 1  # the sentence around the quote
    shot(page, "20-quote-search")
    speaker.click()
    page.wait_for_url(re.compile(r"/speaker/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_speaker_page_lists_roles_quotes_events_and_searches_within(page, live_url):  # noqa: F811
    expect = sync_api.expect
    page.goto(live_url + "/speaker/Elena Marchetti")
    expect(page.get_by_role("heading", name="Roles over time")).to_be_visible()
    expect(page.locator(".roles li").first).to_contain_text("Director")
    expect(page.get_by_role("heading", name="Events spoken at")).to_be_visible()
    event = page.locator(".profile").get_by_role("link", name="Regional Forum on Labour Migration", exact=True)
    expect(event).to_be_visible()
    quotes = page.locator(".quote-list > li")
    expect(quotes).to_have_count(2)
    total = page.locator("#summary strong").inner_text()
    facet = page.locator("#facet-speaker + ul li", has_text="Elena Marchetti").locator(".count")
    assert facet.inner_text().startswith(total)  # the page's count is the facet's
    shot(page, "21-speaker")
    box = page.get_by_label("Search what Elena Marchetti said")
    box.fill("workers")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/speaker/Elena%20Marchetti\?q=workers"))
    expect(quotes).to_have_count(1)
    expect(quotes.first.locator("mark")).to_have_text("workers")


def test_unknown_speaker_page_suggests_a_name(browser, live_url):  # noqa: F811
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    response = tab.goto(live_url + "/speaker/Elena Marchety")
    assert response.status == 404
    sync_api.expect(tab.get_by_role("heading", level=1)).to_have_text("Not found")
    tab.get_by_role("link", name="Elena Marchetti").click()
    tab.wait_for_url(re.compile(r"/speaker/Elena%20Marchetti$"))
    context.close()


def test_phone_layout_has_a_filters_control_a_legible_chart_and_no_sideways_scroll(phone, live_url):  # noqa: F811
    expect = sync_api.expect
    phone.goto(live_url + "/search?q=migration")
    control = phone.locator("details.refine > summary")
    facets = phone.get_by_role("complementary")
    expect(control).to_be_visible()
    expect(facets).to_be_hidden()  # closed on a phone, so the results come first
    first_hit = phone.locator("article.hit").first.bounding_box()
    assert first_hit["y"] < PHONE["height"] * 1.5
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wide, narrow = phone.locator("svg.histogram.wide"), phone.locator("svg.histogram.narrow")
    expect(wide).to_be_hidden()
    expect(narrow).to_be_visible()
    label_px = narrow.locator("text.axis").last.evaluate("t => t.getBoundingClientRect().height")
    assert label_px >= 10, f"chart labels are {label_px:.1f} px high"
    tops = phone.locator(".sort li").evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, "the sort links wrap"
    shot(phone, "22-phone-results")
    control.click()
    expect(facets).to_be_visible()
    shot(phone, "23-phone-filters")
    facets.get_by_role("link", name="Elena Marchetti").click()
    phone.wait_for_url(re.compile(r"speaker=Elena"))
    expect(phone.locator("details.refine > summary")).to_contain_text("1 active")
    for card in phone.locator("article.hit .meta").all():
        expect(card).to_contain_text("Elena Marchetti")


def test_phone_speaker_page_is_readable(phone, live_url):  # noqa: F811
    phone.goto(live_url + "/speaker/Elena Marchetti")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sync_api.expect(phone.locator(".quote-list > li").first).to_be_visible()
    shot(phone, "24-phone-speaker")


def test_export_links_download_every_match(page, live_url):  # noqa: F811
    page.goto(live_url + "/search?q=migration&per_page=2")
    total = int(page.locator("#summary strong").inner_text().replace(",", ""))
    assert total > 2  # more matches than the page shows
    exports = page.locator("p.exports")
    with page.expect_download() as info:
        exports.get_by_role("link", name="CSV").first.click()
    download = info.value
    assert download.suggested_filename == "migsearch-migration-all.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert len(rows) == total and all(row["doc_url"] for row in rows)
    with page.expect_download() as info:
        exports.get_by_role("link", name="JSON Lines").click()
    with open(info.value.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert len(lines) == total and all(json.loads(line)["id"] for line in lines)
