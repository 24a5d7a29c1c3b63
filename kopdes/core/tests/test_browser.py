"""Real Chromium against the live server: a camat logs in through the form, sees only the villages of the own kecamatan,
gets a 404 for a village elsewhere, and the pages fit a 360 px phone screen.

Driven by Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright's own browser downloads are not used.
"""

from __future__ import annotations

import pytest

from kopdes.conftest import BATU_SOPANG, JANJU
from kopdes.regions.models import Region
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

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

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


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
