"""Full-page screenshots of a running Kopdes, logged in as demo users, at desktop and phone widths.

Not a test: a tool for looking at the pages. Start the app first (`make run`, or `manage.py demo` + `runserver`), then:

    .venv/bin/python scripts/screenshots.py --users admin.dinas camat.batusopang --paths / /wilayah/

Every user logs in through the login form (password: the demo password) and each path is shot at every width. The login
page itself is shot once, logged out (--no-login-page skips it). Files go to --out (default /tmp/kopdes-shots, outside
the repository); each file name is printed, with a warning when the page is wider than the screen.

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own browser downloads are not needed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import Error, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdes.settings")
import django  # noqa: E402

django.setup()
from kopdes.tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the flags the browser tests use)
from kopdes.web.management.commands.demo import DEMO_PASSWORD, DEMO_USERS  # noqa: E402

LOGIN_PATH = "/masuk/"
WIDTHS = {"desktop": 1280, "phone": 360}
HEIGHT = 800

# Elements sticking out past the right edge of the screen, outermost first; those inside a box that scrolls sideways
# (.table-responsive) are fine and left out.
OFFENDERS_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(el) && !found.some((f) => f.contains(el))) found.push(el);
  }
  return found.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
    `${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}` +
    ` (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
}
"""


def goto(page: Page, url: str):
    """Open `url`, waiting out a few seconds of refused connections: runserver restarts whenever code changes."""
    for attempt in range(10):
        try:
            return page.goto(url, wait_until="load")
        except Error as error:
            if "ERR_CONNECTION_REFUSED" not in str(error) or attempt == 9:
                raise
            time.sleep(1)


def slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


def shoot(page: Page, base_url: str, who: str, path: str, out: Path) -> None:
    """Open `path` at every width and save a full-page PNG; print its name and any sideways overflow."""
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": HEIGHT})
        response = goto(page, base_url + path)
        status = response.status if response else "?"
        file = out / f"{who}__{slug(path)}__{label}-{width}.png"
        page.screenshot(path=str(file), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        note = f"HTTP {status}"
        if page.url != base_url + path:
            note += f", ended at {page.url.removeprefix(base_url)}"
        if scroll_width > width:
            offenders = ", ".join(page.evaluate(OFFENDERS_JS)) or "?"
            note += f", OVERFLOW: {scroll_width} px wide on a {width} px screen: {offenders}"
        print(f"{file}  ({note})")


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": HEIGHT})
    goto(page, base_url + LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if page.url.startswith(base_url + LOGIN_PATH):
        raise SystemExit(f"Login as {username} failed (did `manage.py demo` run against this server's database?)")


def main(argv: list[str] | None = None) -> None:
    demo_usernames = [username for username, *_rest in DEMO_USERS]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", nargs="+", default=demo_usernames, help="demo usernames (default: all)")
    parser.add_argument("--paths", nargs="+", default=["/"], help="paths to shoot for every user (default: /)")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--out", type=Path, default=Path("/tmp/kopdes-shots"))
    parser.add_argument("--no-login-page", action="store_true", help="do not shoot the logged-out login page")
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            if not args.no_login_page:
                context = browser.new_context(locale="id-ID")
                shoot(context.new_page(), base_url, "anonymous", LOGIN_PATH, args.out)
                context.close()
            for username in args.users:
                context = browser.new_context(locale="id-ID")
                page = context.new_page()
                log_in(page, base_url, username, args.password)
                for path in args.paths:
                    shoot(page, base_url, username, path, args.out)
                context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
