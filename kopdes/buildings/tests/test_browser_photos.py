"""Photo positions and the public page in real Chromium at 360 px and 1280 px: the phone reads the photo's EXIF
position (exifr) and its own location before sending, the office sees the warning and marks the photo public, and
a visitor sees it on the public village page. Screenshots go to $KOPDES_SCREENSHOTS when set."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from kopdes.buildings.models import EvidenceFile
from kopdes.buildings.tests.test_browser_building_pages import _shot
from kopdes.buildings.tests.test_photos import FAR_JPEG, LAND
from kopdes.buildings.tests.test_track import through
from kopdes.buildings.workflow import CONSTRUCTION, LAND_PROPOSED
from kopdes.conftest import JANJU
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme
from kopdes.regions.models import Region
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in
from kopdes.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


@pytest.mark.parametrize("width", [PHONE_WIDTH, 1280])
def test_photo_positions_and_the_public_page(live_server, browser, admin_dinas, tmp_path, width):
    programme = Programme.objects.create(region=Region.objects.get(code="64.01"), name="P", start_date=date(2025, 4, 1))
    start_programme(actor=admin_dinas, programme=programme)
    janju = Cooperative.objects.get(region_code=JANJU)
    pengurus = make_user("pengurus.janju", "pengurus", JANJU)
    through(admin_dinas, pengurus, janju, LAND_PROPOSED)
    janju.building.__class__.objects.filter(pk=janju.building.pk).update(latitude=LAND[0], longitude=LAND[1])
    picture = tmp_path / "gerai.jpg"
    picture.write_bytes(FAR_JPEG)
    base = live_server.url

    context = browser.new_context(
        viewport={"width": width, "height": 800},
        locale="id-ID",
        geolocation={"latitude": -1.9005, "longitude": 116.2005, "accuracy": 15},
        permissions=["geolocation"],
    )
    board = context.new_page()
    log_in(board, base, pengurus.username)
    board.goto(f"{base}/gerai/koperasi/{janju.pk}/langkah/{CONSTRUCTION}/")
    board.select_option("select[name=band]", "20")
    board.fill("input[name=evidence_date]", "2026-01-06")
    board.set_input_files("input[name=files]", str(picture))
    board.wait_for_selector("ul[data-photo-status] li")
    assert board.input_value("input[name=exif_lat]") == "-1.950000"
    assert board.input_value("input[name=exif_time]") == "2026-01-05T09:30:00"
    expect(board.locator("input[name=device_lat]")).to_have_value("-1.900500")
    assert horizontal_overflow(board) == 0
    _shot(board, f"photo-upload-{width}")
    board.click("form[data-photo-position] button[type=submit]")
    board.wait_for_url(f"**/gerai/koperasi/{janju.pk}/")
    photo = EvidenceFile.objects.get(submission__step=CONSTRUCTION)
    assert photo.exif_latitude is not None and photo.device_accuracy_m == 15

    office = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    log_in(office, base, admin_dinas.username)
    office.goto(f"{base}/gerai/verifikasi/{photo.submission_id}/")
    assert office.locator("[data-testid=photo-warning]").count() == 1  # 5.6 km from the land (no outline loaded)
    office.click(f"[data-testid=photo-{photo.pk}] button[type=submit]")
    office.click("button[value=verify]")
    photo.refresh_from_db()
    assert photo.is_public

    visitor = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    visitor.goto(f"{base}/publik/gerai/desa/{JANJU}/")
    source = visitor.locator("[data-testid=photos] img").get_attribute("src")
    assert visitor.request.get(base + source).headers["content-type"] == "image/jpeg"
    assert horizontal_overflow(visitor) == 0
    _shot(visitor, f"photo-public-village-{width}")
    visitor.goto(f"{base}/publik/64.01/gerai/")
    assert horizontal_overflow(visitor) == 0
    _shot(visitor, f"photo-public-list-{width}")
