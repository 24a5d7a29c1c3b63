"""Browser-test fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Loaded as a plugin by kopdes/conftest.py. A browser test module marks itself with
`pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from kopdes.conftest import PASER
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


@pytest.fixture(scope="module")
def paser_back_after_the_flush(django_db_blocker):
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
