"""Real Chromium on a 360 px phone: the cooperative page shows the board with masked NIKs, the outlets' map and the
health score, and fits the screen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kopdes.cooperatives import services
from kopdes.cooperatives.models import OutletStatus
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik
from kopdes.core.nik import mask_nik
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def test_the_cooperative_page_on_a_phone(live_server, page, admin_dinas, pimpinan, janju):
    ketua_nik = nik(TANAH_GROGOT_NIK, date(1980, 3, 12), serial=7)
    services.add_seat(
        actor=admin_dinas, cooperative=janju, organ="pengurus", position="ketua", name="Ahmad Saputra", nik=ketua_nik
    )
    services.save_outlet(
        actor=admin_dinas,
        cooperative=janju,
        unit=None,
        other_type="Kios",
        status=OutletStatus.OPEN,
        opened_on=date(2025, 10, 1),
        latitude=Decimal("-1.9051"),
        longitude=Decimal("116.1882"),
    )
    member_nik = nik(TANAH_GROGOT_NIK, date(1990, 5, 5), female=True, serial=8)
    services.add_member(actor=admin_dinas, cooperative=janju, nik=member_nik, name="Siti Rahman")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    log_in(page, live_server.url, pimpinan.username)

    page.goto(f"{live_server.url}/koperasi/{janju.pk}/profil/")
    page.wait_for_selector("#kd-outlet-map[data-ready='1']")

    board = page.get_by_test_id("board").inner_text()
    assert "Ahmad Saputra" in board and mask_nik(ketua_nik) in board and ketua_nik not in board
    members = page.get_by_test_id("recent-members").inner_text()
    assert "Siti Rahman" in members and mask_nik(member_nik) in members and member_nik not in members
    assert page.locator("#kd-outlet-map path.leaflet-interactive").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # no outside base map by default
    assert page.get_by_test_id("health-score").inner_text().endswith("/6")
    assert horizontal_overflow(page) == 0
