"""The building's pages in real Chromium at 360 px and 1280 px: the building page, a step's form and the office's
verification fit the screen (no sideways scrolling). Screenshots go to $KOPDES_SCREENSHOTS when set."""

from __future__ import annotations

import os
from datetime import date

import pytest

from kopdes.buildings import services
from kopdes.buildings.tests.test_track import land, photo, submit, through
from kopdes.buildings.workflow import CONSTRUCTION
from kopdes.conftest import JANJU
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme
from kopdes.regions.models import Region
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in
from kopdes.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def _shot(page, name: str) -> None:
    folder = os.environ.get("KOPDES_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [PHONE_WIDTH, 1280])
def test_building_pages_fit_the_screen(live_server, browser, admin_dinas, width):
    programme = Programme.objects.create(region=Region.objects.get(code="64.01"), name="P", start_date=date(2025, 4, 1))
    start_programme(actor=admin_dinas, programme=programme)
    janju = Cooperative.objects.get(region_code=JANJU)
    pengurus = make_user("pengurus.janju", "pengurus", JANJU)
    through(admin_dinas, pengurus, janju, CONSTRUCTION)
    pending = submit(pengurus, janju, CONSTRUCTION, band=100, files=[photo()], evidence_date=date(2026, 3, 10))
    assert land is not None and services is not None
    base = live_server.url

    page = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    log_in(page, base, admin_dinas.username)
    for name, path in [
        ("detail", f"/gerai/koperasi/{janju.pk}/"),
        ("verify", f"/gerai/verifikasi/{pending.pk}/"),
        ("instalments", f"/gerai/koperasi/{janju.pk}/cicilan/"),
        ("list", "/gerai/"),
    ]:
        page.goto(base + path)
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at {width}px"
        _shot(page, f"building-{name}-{width}")
    board = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    log_in(board, base, pengurus.username)
    board.goto(f"{base}/gerai/koperasi/{janju.pk}/langkah/{CONSTRUCTION}/")
    assert horizontal_overflow(board) == 0
    _shot(board, f"building-submit-{width}")
