"""The formation path in real Chromium: the operator of Janju submits the Musdesus evidence with a PDF, the office
verifies it from its queue, and the regency dashboard's count of held Musdesus goes up by one."""

from __future__ import annotations

from datetime import date

import pytest

from kopdes.conftest import JANJU
from kopdes.formation import services
from kopdes.formation.demo import demo_pdf
from kopdes.formation.models import Cooperative
from kopdes.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]

HELD_ROW = "table.kd-funnel tbody tr:nth-child(5) td:nth-child(2)"  # stage 4, "now at"


def bring_to_stage_3(case: Cooperative, office) -> None:
    for stage, day in ((1, date(2025, 4, 22)), (2, date(2025, 4, 28)), (3, date(2025, 5, 11))):
        case.refresh_from_db()
        pending = services.submit_stage(
            actor=office, cooperative=case, version=case.version, stage=stage, evidence_date=day
        )
        services.verify_submission(actor=office, submission=pending)


def test_janju_submits_musdesus_and_the_office_verifies_it(
    live_server, browser, programme, admin_dinas, operator_janju
):
    janju = Cooperative.objects.get(region_code=JANJU)
    bring_to_stage_3(janju, admin_dinas)
    pdf = demo_pdf("Berita Acara Musdesus Janju")

    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(office, live_server.url, admin_dinas.username)
    office.goto(f"{live_server.url}/dasbor/64.01/")
    held_before = int(office.locator(HELD_ROW).inner_text())

    village = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
    log_in(village, live_server.url, operator_janju.username)
    village.goto(f"{live_server.url}/koperasi/{janju.pk}/")
    village.click(f"a[href='/koperasi/{janju.pk}/ajukan/']")
    village.select_option("select[name=stage]", "4")
    village.fill("input[name=evidence_date]", "2025-05-14")
    village.fill("input[name=evidence_number]", "BA/2002/V/2025")
    village.set_input_files(
        "input[name=files]", {"name": "ba-musdesus.pdf", "mimeType": "application/pdf", "buffer": pdf.read()}
    )
    with village.expect_navigation():
        village.click("main form button[type=submit]")
    assert village.url == f"{live_server.url}/koperasi/{janju.pk}/"
    assert village.locator("[data-testid=pending]").is_visible()
    assert village.evaluate("document.documentElement.scrollWidth") <= 360

    office.goto(f"{live_server.url}/verifikasi/")
    office.click(f"[data-testid=queue] a[href='/koperasi/{janju.pk}/']")
    assert office.locator("a:has-text('ba-musdesus.pdf')").count() >= 1  # in the verify panel and the list
    with office.expect_navigation():
        office.click("button[name=decision][value=verify]")
    assert office.locator("[data-testid=stage]").inner_text().startswith("4.")

    office.goto(f"{live_server.url}/dasbor/64.01/")
    assert int(office.locator(HELD_ROW).inner_text()) == held_before + 1
    janju.refresh_from_db()
    assert janju.stage == 4 and janju.musdesus_date == date(2025, 5, 14)
