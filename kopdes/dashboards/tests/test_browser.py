"""Real Chromium: the map page draws the boundaries coloured by stage, shows the legend, and a click on a village opens
its popup with the link to the case; the page fits a 360 px phone."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kopdes.conftest import JANJU, PASER, WILAYAH_PASER
from kopdes.dashboards.tests.helpers import form
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def test_the_map_draws_villages_and_a_click_opens_the_village(live_server, page, programme, admin_dinas):
    call_command("load_boundaries", str(WILAYAH_PASER))
    case = form(JANJU, admin_dinas)
    log_in(page, live_server.url, admin_dinas.username)

    page.goto(f"{live_server.url}/peta/{PASER}/")
    page.wait_for_selector("#kd-map[data-ready='1']")

    assert page.locator("#kd-map path.leaflet-interactive").count() >= 144
    assert page.locator("#kd-legend > span").count() == 12
    assert page.locator(".leaflet-tile").count() == 0  # no base map from an outside server by default
    # click Janju's outline: the popup names the village and links to its case
    page.evaluate(
        """(code) => { for (const l of Object.values(window.kdMap._layers)) {
             if (l.feature && l.feature.properties.code === code && l.fire) {
               l.fire('click', {latlng: l.getBounds().getCenter()}); return; } } }""",
        JANJU,
    )
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Janju" in popup.inner_text()
    popup.locator("a").click()
    page.wait_for_url(f"**/koperasi/{case.pk}/")

    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto(f"{live_server.url}/peta/{PASER}/")
    page.wait_for_selector("#kd-map[data-ready='1']")
    assert horizontal_overflow(page) == 0
