"""The landing page stays light for cheap phones on slow links: its HTML, CSS, JS and fonts under 150 KB gzipped, all
served by the app itself (no CDN), and no JavaScript where none is used."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BUDGET = 150 * 1024
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class AssetCollector(HTMLParser):
    """Every stylesheet, script, font and icon a page asks the browser to load."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = set((attrs.get("rel") or "").lower().split())
            # an inline data: URL (the empty favicon) costs no request and is already counted in the HTML
            if rel & {"stylesheet", "preload", "icon", "modulepreload", "manifest"} and not attrs["href"].startswith(
                "data:"
            ):
                self.urls.append(attrs["href"])
        elif tag == "script":
            self.scripts.append(attrs.get("src") or "(inline)")
            if attrs.get("src"):
                self.urls.append(attrs["src"])


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code == 200:
        return b"".join(response.streaming_content) if response.streaming else response.content
    # Fall back to the finders when static files are not served to the test client.
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} answered {response.status_code}"
    found = finders.find(path[len(settings.STATIC_URL) :])
    assert found, f"{url}: no such static file"
    return Path(found).read_bytes()


def gzipped_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6))


def landing_page(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def page_assets(client, user) -> tuple[bytes, list[str], list[str]]:
    """The landing page HTML, the URLs of what it loads (fonts and images inside CSS included), and its scripts."""
    html = landing_page(client, user).content
    collector = AssetCollector()
    collector.feed(html.decode())
    urls = list(dict.fromkeys(collector.urls))
    for url in list(urls):
        if url.endswith(".css") and not urlsplit(url).netloc:
            css = fetch(client, url).decode("utf-8", errors="replace")
            for ref in CSS_URL.findall(css):
                if not ref.startswith("data:"):
                    absolute = urljoin(url, ref.split("#")[0].split("?")[0])
                    if absolute not in urls:
                        urls.append(absolute)
    return html, urls, collector.scripts


def test_landing_page_weighs_under_150_kb_gzipped(client, camat_batu_sopang):
    html, urls, _scripts = page_assets(client, camat_batu_sopang)

    sizes = {"/": gzipped_size(html)} | {url: gzipped_size(fetch(client, url)) for url in urls}

    assert any(url.endswith(".css") for url in sizes), "the page should load its stylesheet"
    assert sum(sizes.values()) < BUDGET, f"{sum(sizes.values())} bytes gzipped: {sizes}"


def test_landing_page_loads_nothing_from_another_host(client, camat_batu_sopang):
    _html, urls, _scripts = page_assets(client, camat_batu_sopang)

    external = [url for url in urls if urlsplit(url).netloc or url.startswith("//")]
    assert urls
    assert external == []
    assert all(url.startswith(settings.STATIC_URL) for url in urls), urls


def test_landing_page_loads_no_htmx(client, camat_batu_sopang):
    html, _urls, scripts = page_assets(client, camat_batu_sopang)

    assert not [src for src in scripts if "htmx" in src.lower()]
    assert b"htmx" not in html.lower()


def test_htmx_is_not_shipped(client):
    """No page used htmx, so it left package.json and STATICFILES_DIRS: the static files have no copy of it."""
    assert finders.find("vendor/htmx/htmx.min.js") is None
    assert client.get(f"{settings.STATIC_URL}vendor/htmx/htmx.min.js").status_code == 404


def test_static_files_are_served_by_the_app(client, camat_batu_sopang):
    _html, urls, _scripts = page_assets(client, camat_batu_sopang)

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content) if response.streaming else response.content
