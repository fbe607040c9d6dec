"""A user's journey in a real Chromium (Playwright), against the real app on a waitress server.

Finds Debian's ``chromium`` (or Playwright's own browser) and skips with the reason when there is
none. Screenshots of each step go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright): no browser tests"
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


def find_chromium() -> str | None:
    """Debian's chromium, else the browser Playwright downloaded (``playwright install``), else None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    try:
        with sync_api.sync_playwright() as p:
            own = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver or no browser: the caller skips
        return None
    return own if own and Path(own).exists() else None


@pytest.fixture(scope="module")
def live_url(web_data_dir):
    """The real app served by waitress on 127.0.0.1 and a free port, for this module."""
    from web import create_app
    from web.serve import make_server, server_url
    from web.services import get_service

    app = create_app({"DATA_DIR": str(web_data_dir)})
    server = make_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
    thread.start()
    yield server_url(server).rstrip("/")
    server.close()
    thread.join(timeout=5)
    get_service(app).close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, or skip with the reason."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found: install Debian's chromium (apt install chromium) or `playwright install`"
        )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on CSP violations, script errors and dialogs (XSS)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog opened: {d.message}"), d.dismiss()))
    yield page
    context.close()
    assert not problems, problems


def shot(page, name: str) -> None:
    """Save a full-page screenshot as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def hit_dates(page) -> list[str]:
    return page.locator("article.hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")


def test_a_users_journey(page, live_url):
    expect = sync_api.expect
    # 1. The home page: a labelled search box.
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", name="Search migration news")).to_be_visible()
    box = page.get_by_role("combobox", name="Search releases")
    shot(page, "01-home")

    # 2. Type a query and pick a completion with the keyboard.
    box.press_sequentially("statem", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    shot(page, "02-suggestions")
    for _ in range(options.count()):
        box.press("ArrowDown")
        active = page.locator("#" + box.get_attribute("aria-activedescendant"))
        expect(active).to_have_attribute("aria-selected", "true")
        if active.locator(".kind").inner_text() == "Word" and active.inner_text().startswith("statement"):
            break
    else:
        pytest.fail("no title-word completion for 'statem'")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=statement"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results for “statement")
    total_before = page.locator("#summary strong").inner_text()
    shot(page, "03-results")

    # 3. Click a facet: the filter is shown and the results narrow.
    facets = page.get_by_role("complementary")
    facets.get_by_role("link", name="Paolo Reyes").click()
    page.wait_for_url(re.compile(r"speaker=Paolo"))
    chip = page.get_by_role("group", name="Active filters")
    expect(chip).to_contain_text("Speaker: Paolo Reyes")
    expect(page.locator("article.hit")).to_have_count(1)
    shot(page, "04-facet")

    # 4. Remove it again.
    page.get_by_role("link", name="Remove filter Speaker: Paolo Reyes").click()
    page.wait_for_url(lambda url: "speaker=" not in url)
    expect(page.get_by_role("group", name="Active filters")).to_have_count(0)
    expect(page.locator("#summary strong")).to_have_text(total_before)

    # 5. Page through (two per page, a state that is just a URL).
    page.goto(page.url + "&per_page=2")
    pager = page.get_by_role("navigation", name="Result pages")
    pager.get_by_role("link", name="Next ›").click()
    page.wait_for_url(re.compile(r"[?&]page=2"))
    expect(page.locator("#summary")).to_contain_text("page 2 of")
    expect(pager.locator("[aria-current=page]")).to_contain_text("2")
    shot(page, "05-page-2")

    # 6. Sort by date: newest first, back on page 1.
    page.get_by_role("navigation", name="Sort order").get_by_role("link", name="Newest first").click()
    page.wait_for_url(re.compile(r"sort=date"))
    assert not re.search(r"[?&]page=", page.url)
    dates = hit_dates(page)
    assert dates == sorted(dates, reverse=True)
    page.go_back()  # the back button restores the previous state
    page.wait_for_url(re.compile(r"[?&]page=2"))
    page.go_forward()
    page.wait_for_url(re.compile(r"sort=date"))

    # 7. Open a document: the release with the query highlighted.
    page.goto(live_url + "/search?q=workers&sort=date&speaker=Paolo+Reyes")
    title = page.locator("article.hit h2 a").first
    title_text = title.inner_text()
    title.click()
    page.wait_for_url(re.compile(r"/doc/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title_text)
    expect(page.locator(".body mark").first).to_be_visible()
    shot(page, "06-document")

    # 8. Follow a speaker link to everything by that speaker.
    page.locator(".doc-meta").get_by_role("link", name="Paolo Reyes").click()
    page.wait_for_url(re.compile(r"/speaker/Paolo"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paolo Reyes")
    expect(page.locator(".sort .current")).to_have_text("Newest first")
    shot(page, "07-speaker")


def test_the_form_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_url + "/")
    page.get_by_label("Search releases").fill("refugee")
    page.get_by_label("Search releases").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=refugee"))
    assert page.locator("article.hit").count() >= 2
    context.close()


def test_hostile_documents_run_no_script_and_focus_is_visible(page, live_url):
    page.goto(live_url + "/search?q=asylum")  # the page fixture fails on any dialog or CSP error
    expect = sync_api.expect
    expect(page.locator("article.hit").first).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert "skip-link" in focused
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_small_screens_stack_the_layout(browser, live_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_url + "/search?q=refugee")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
    shot(page, "08-mobile")
    context.close()
