"""Done when, in real Chromium at 360 px: the board (pengurus) records the construction photos band by band, the office
verifies each, the handover and the LPG channel are recorded and verified, the first sale turns the village
"trading", and the regency's list of buildings shows it."""

from __future__ import annotations

from datetime import date

import pytest

from kopdes.buildings.models import Building, ChannelKind, Submission
from kopdes.buildings.tests.test_track import through
from kopdes.buildings.workflow import CHANNELS, CONSTRUCTION, FIRST_SALE, HANDOVER, LAND_SURVEYED, Band
from kopdes.conftest import JANJU
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.models import Region
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in
from kopdes.tests.factories import make_user
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]

BANDS = [(20, "2026-01-10"), (50, "2026-02-01"), (75, "2026-02-20"), (99, "2026-03-05"), (100, "2026-03-15")]


def _phone(browser, base: str, username: str):
    page = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, locale="id-ID").new_page()
    log_in(page, base, username)
    return page


def _submit(page, base: str, pk: int, step: int, *, day: str, files=(), fill=None, select=None, query="") -> None:
    page.goto(f"{base}/gerai/koperasi/{pk}/langkah/{step}/{query}")
    assert horizontal_overflow(page) == 0, f"step {step} form scrolls sideways"
    page.fill("#id_evidence_date", day)
    for field, value in (select or {}).items():
        page.select_option(f"#id_{field}", **value)
    for field, value in (fill or {}).items():
        page.fill(f"#id_{field}", value)
    if files:
        page.set_input_files("#id_files", files=list(files))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    shown = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert page.url == f"{base}/gerai/koperasi/{pk}/", (step, shown)


def _verify(office, base: str, cooperative: Cooperative) -> None:
    pending = Submission.objects.get(building__cooperative=cooperative, status=SubmissionStatus.PENDING)
    office.goto(f"{base}/gerai/verifikasi/{pending.pk}/")
    assert horizontal_overflow(office) == 0
    with office.expect_navigation():
        office.click("button[name=decision][value=verify]")
    pending.refresh_from_db()
    assert pending.status == SubmissionStatus.VERIFIED, office.content()[:2000]


def test_the_board_builds_the_office_verifies_and_the_village_trades(live_server, browser, admin_dinas):
    programme = Programme.objects.create(region=Region.objects.get(code="64.01"), name="P", start_date=date(2025, 4, 1))
    start_programme(actor=admin_dinas, programme=programme)
    janju = Cooperative.objects.get(region_code=JANJU)
    pengurus = make_user("pengurus.janju", "pengurus", JANJU)
    through(admin_dinas, pengurus, janju, LAND_SURVEYED)  # the land, proposed and surveyed, verified
    base = live_server.url
    board, office = _phone(browser, base, pengurus.username), _phone(browser, base, admin_dinas.username)

    for band, day in BANDS:
        photo = {"name": f"foto-{band}.jpg", "mimeType": "image/jpeg", "buffer": JPEG_BYTES}
        _submit(board, base, janju.pk, CONSTRUCTION, day=day, select={"band": {"value": str(band)}}, files=[photo])
        _verify(office, base, janju)
        assert Building.objects.get(cooperative=janju).band == band
    _submit(
        board,
        base,
        janju.pk,
        HANDOVER,
        day="2026-03-20",
        files=[{"name": "bast.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
        select={"asset_register": {"value": "village"}},
        fill={"handover_number": "BAST/12/AGRINAS/2026", "asset_number": "1.3.3.2002", "asset_on": "2026-03-22"},
    )
    _verify(office, base, janju)
    # the channel's form is read for its channel (?kanal=): its stale-save token is the channel's own
    # the migration seeds the kinds; a transactional test flushed before this one may have emptied the table
    lpg, _created = ChannelKind.objects.get_or_create(name="LPG 3 kg")
    _submit(
        board,
        base,
        janju.pk,
        CHANNELS,
        day="2026-03-21",
        select={"channel": {"label": "LPG 3 kg"}, "state": {"value": "registered"}},
        query=f"?kanal={lpg.pk}",
    )
    _verify(office, base, janju)
    _submit(board, base, janju.pk, FIRST_SALE, day="2026-03-25", fill={"first_sale_what": "LPG 3 kg dan beras SPHP"})
    _verify(office, base, janju)

    building = Building.objects.get(cooperative=janju)
    assert building.band == Band.DONE and building.handover_on == date(2026, 3, 20) and building.is_trading
    assert building.channels.get().kind.name == "LPG 3 kg"
    office.goto(f"{base}/gerai/")
    assert horizontal_overflow(office) == 0
    row = office.locator("tr", has_text="Janju")
    assert row.count() == 1 and "Sudah berjualan" in row.inner_text()
