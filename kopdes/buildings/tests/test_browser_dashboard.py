"""The building dashboard in real Chromium at 360 px and 1280 px: the map colours villages by their building's step
with its legend, the tables sort and filter, and the page fits the screen. Screenshots go to $KOPDES_SCREENSHOTS."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.core.management import call_command

from kopdes.buildings.selectors import STEP_COLOURS
from kopdes.buildings.tests.test_dashboard import advance
from kopdes.buildings.workflow import CONSTRUCTION, FIRST_SALE
from kopdes.conftest import JANJU, PASER, SUNGAI_TERIK, WILAYAH_PASER
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme
from kopdes.regions.models import Region
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in
from kopdes.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def _top(page, width: int) -> dict:
    """The page down to the end of the map card (the village list below it runs to thousands of pixels)."""
    box = page.locator("[data-testid='map-card']").bounding_box()
    return {"x": 0, "y": 0, "width": width, "height": (box["y"] + box["height"] + 16) if box else 2000}


@pytest.mark.parametrize("width", [PHONE_WIDTH, 1280])
def test_the_dashboard_maps_the_steps_and_fits_the_screen(live_server, browser, admin_dinas, width):
    call_command("load_boundaries", str(WILAYAH_PASER))
    programme = Programme.objects.create(region=Region.objects.get(code=PASER), name="P", start_date=date(2025, 4, 1))
    start_programme(actor=admin_dinas, programme=programme)
    janju = Cooperative.objects.get(region_code=JANJU)
    terik = Cooperative.objects.get(region_code=SUNGAI_TERIK)
    advance(admin_dinas, make_user("pengurus.janju", "pengurus", JANJU), janju, sale=True)
    advance(admin_dinas, make_user("pengurus.terik", "pengurus", SUNGAI_TERIK), terik, band=75)

    page = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    log_in(page, live_server.url, admin_dinas.username)
    page.goto(f"{live_server.url}/gerai/dasbor/{PASER}/")
    page.wait_for_selector("#kd-map[data-ready='1']")
    assert page.locator("#kd-legend > span").count() == len(STEP_COLOURS)
    colours = page.evaluate(
        """() => { const out = {}; for (const l of Object.values(window.kdMap._layers)) {
             const p = l.feature && l.feature.properties;
             if (p && p.stage !== undefined) out[p.code] = l.options.fillColor; }
             return out; }"""
    )
    assert colours[JANJU] == STEP_COLOURS[FIRST_SALE] and colours[SUNGAI_TERIK] == STEP_COLOURS[CONSTRUCTION]
    folder = os.environ.get("KOPDES_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/building-dashboard-{width}.png", full_page=True, clip=_top(page, width))
    wide = page.evaluate(
        """(w) => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 1)
             .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.dataset.testid || ''))""",
        width,
    )
    assert horizontal_overflow(page) == 0, f"the dashboard scrolls sideways at {width}px: {wide}"
    # the village table filters
    box = page.locator("[data-testid='villages-card'] input[type='search']")
    box.fill("Janju")
    assert page.locator("[data-testid='villages'] tbody tr:visible").count() == 1
