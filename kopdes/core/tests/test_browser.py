"""Real Chromium against the live server: a camat logs in through the form, sees only the villages of the own kecamatan,
gets a 404 for a village elsewhere, and the pages fit a 360 px phone screen.

Driven by Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own browser downloads are not used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from kopdes.conftest import BATU_SOPANG, JANJU, PASER
from kopdes.regions.importer import import_regions
from kopdes.regions.models import Region
from kopdes.tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread, and Django then refuses ORM calls from "async context"
# (SynchronousOnlyOperation) in the fixtures. The browser never touches the ORM, so the check is a false alarm here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_WIDTH = 360
BATU_SOPANG_VILLAGES = {
    "Batu Kajang",
    "Busui",
    "Kasungai",
    "Legai",
    "Rantau Buta",
    "Rantau Layung",
    "Samurangau",
    "Songka",
    "Sungai Terik",
}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _paser_back_after_the_flush(django_db_blocker):
    """live_server makes these transactional tests: Django empties every table after each of them. Module scope tears
    this down after that flush, so the tests that run later find Paser loaded, as django_db_setup left it."""
    yield
    with django_db_blocker.unblock():
        if not Region.objects.filter(code=PASER).exists():
            import_regions(directory=settings.REGION_NPM_DATA_DIR, decree="test", prefix=PASER)


def skip_or_fail_in_ci(message: str) -> None:
    """On a developer's machine a missing browser skips; in CI it fails, so the browser tests cannot vanish unseen."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail_in_ci(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail_in_ci("The playwright package is missing: pip install -r requirements-dev.txt.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{base_url}/", f"login did not land on the home page but on {page.url}"


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_camat_sees_only_the_villages_of_own_kecamatan_in_the_browser(live_server, page, camat_batu_sopang):
    village_rows = "main table tbody tr"
    assert Region.objects.filter(code=JANJU).exists(), "the 404 below must come from the scope, not a missing village"

    log_in(page, live_server.url, camat_batu_sopang.username)

    page.goto(f"{live_server.url}/wilayah/")
    assert page.url == f"{live_server.url}/wilayah/{BATU_SOPANG}/"
    assert page.locator(village_rows).count() == len(BATU_SOPANG_VILLAGES)
    assert set(page.locator(f"{village_rows} td:nth-child(2)").all_inner_texts()) == BATU_SOPANG_VILLAGES

    response = page.goto(f"{live_server.url}/wilayah/{JANJU}/")
    assert response.status == 404
    assert "Janju" not in page.content()

    # The same pages on a cheap phone: nothing may stick out sideways (the table scrolls inside its own box).
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    for path in ["/", f"/wilayah/{BATU_SOPANG}/"]:
        page.goto(f"{live_server.url}{path}")
        assert horizontal_overflow(page) == 0, f"{path} is wider than {PHONE_WIDTH} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
