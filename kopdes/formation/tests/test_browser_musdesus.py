"""The Musdesus path in real Chromium, the village on a 360 px phone: the operator of Janju records the facilitator
team, schedules the Musdesus, downloads the invitation, records attendance and decisions, downloads the Berita Acara
(Word and PDF), uploads the signed scan; the office verifies it and the case stands at stage 4 with the decided name."""

from __future__ import annotations

import pytest

from kopdes.conftest import JANJU
from kopdes.formation import services
from kopdes.formation.demo import demo_pdf
from kopdes.formation.models import StageSubmission
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]

TEAM = (  # pasted from a spreadsheet: name, NIK, sex, dusun, RT, phone, position in the team, element
    "Siti Nur'aini\t\tP\t\t\t0812-5555-1234\tKetua\ttokoh masyarakat\nLa Ode Ma'ruf\t\tL\t\t\t\tSekretaris\tpemuda"
)
GUEST = "Ibu Déwi; ; P; ; ; ; Pendamping desa; lainnya"  # not a villager: typed, kept off the roster


def pasted(rows, *extras) -> str:
    """Spreadsheet rows in the paste layout: name, NIK, then empty sex/dusun/RT/phone, then the list's columns."""
    return "\n".join("\t".join([r["name"], r["nik"], "", "", "", "", *(str(r[e]) for e in extras)]) for r in rows)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def verify_pending(case, office) -> None:
    pending = StageSubmission.objects.get(cooperative=case, status="pending")
    services.verify_submission(actor=office, submission=pending)


def download(page, testid: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def test_janju_records_team_and_musdesus_and_the_office_verifies(
    live_server, browser, programme, admin_dinas, operator_janju
):
    data.ensure_standard_units()
    janju = advance(case_for(JANJU), 1, submitter=admin_dinas)
    village = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()
    log_in(village, live_server.url, operator_janju.username)

    village.goto(f"{live_server.url}/koperasi/{janju.pk}/")
    village.click("[data-testid=team-link]")
    village.fill("input[name=decree_date]", "2025-04-20")
    village.fill("textarea[name=members_paste]", TEAM)
    village.fill("textarea[name=members_guests]", GUEST)
    fits(village)
    with village.expect_navigation():
        village.click("main form button[type=submit]")
    assert village.locator("[data-testid=team-members] li").count() == 3
    fits(village)
    verify_pending(janju, admin_dinas)

    village.goto(f"{live_server.url}/koperasi/{janju.pk}/musdesus/")
    village.click(f"a[href='/koperasi/{janju.pk}/musdesus/jadwal/']")
    village.fill("input[name=date]", "2025-05-14")
    village.fill("input[name=time]", "09:00")
    village.fill("input[name=place]", "Balai Desa Janju")
    village.fill("input[name=convener]", "Ketua BPD Janju")
    village.fill("textarea[name=invitees]", "Camat Tanah Grogot; Kecamatan\nKetua PKK; PKK")
    fits(village)
    with village.expect_navigation():
        village.click("main form button[type=submit]")
    assert "Balai Desa Janju" in village.locator("[data-testid=schedule]").inner_text()
    verify_pending(janju, admin_dinas)
    assert download(village, "doc-undangan-pdf").startswith(b"%PDF")

    village.click(f"a[href='/koperasi/{janju.pk}/musdesus/daftar-hadir/']")
    village.fill("textarea[name=attendees_paste]", pasted(data.attendees(25), "element"))
    with village.expect_navigation():
        village.click("main form button[type=submit]")

    village.click(f"a[href='/koperasi/{janju.pk}/musdesus/keputusan/']")
    village.select_option("select[name=pathway]", "pendirian_baru")
    village.fill("input[name=cooperative_name]", "Koperasi Desa Merah Putih Janju")
    village.fill("input[name=simpanan_pokok]", "100000")
    village.fill("input[name=simpanan_wajib]", "10000")
    village.fill("textarea[name=founders_paste]", pasted(data.founders(21)))
    pengurus, pengawas = data.board()
    village.fill("textarea[name=pengurus_paste]", pasted(pengurus, "position", "village_office"))
    village.fill("textarea[name=pengawas_paste]", pasted(pengawas, "position", "village_office"))
    village.check("input[name=business_units] >> nth=1")
    village.check("input[name=no_family_ties_declared]")
    fits(village)
    with village.expect_navigation():
        village.click("main form button[type=submit]")
    assert village.locator("[data-testid=decided-name]").inner_text() == "Koperasi Desa Merah Putih Janju"
    assert village.locator("[data-testid=findings]").count() == 0
    fits(village)
    assert download(village, "doc-berita-acara-docx").startswith(b"PK")
    assert download(village, "doc-berita-acara-pdf").startswith(b"%PDF")

    village.click(f"a[href='/koperasi/{janju.pk}/musdesus/berita-acara/']")
    village.set_input_files(
        "input[name=scan]",
        {"name": "ba-ttd.pdf", "mimeType": "application/pdf", "buffer": demo_pdf("Berita Acara Janju").read()},
    )
    with village.expect_navigation():
        village.click("main form button[type=submit]")
    assert village.locator("[data-testid=pending]").is_visible()
    fits(village)

    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(office, live_server.url, admin_dinas.username)
    office.goto(f"{live_server.url}/verifikasi/")
    office.click(f"[data-testid=queue] a[href='/koperasi/{janju.pk}/']")
    with office.expect_navigation():
        office.click("button[name=decision][value=verify]")
    assert office.locator("[data-testid=stage]").inner_text().startswith("4.")
    janju.refresh_from_db()
    assert janju.stage == 4 and janju.name == "Koperasi Desa Merah Putih Janju" and janju.pathway == "pendirian_baru"
