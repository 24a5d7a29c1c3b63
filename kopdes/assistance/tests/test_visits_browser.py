"""Training attendance and a visit in real Chromium on a phone: the pendamping enters two attendees at once and records
a visit with a follow-up; the village operator sees the follow-up on the case page and marks it done."""

from __future__ import annotations

import pytest

from kopdes.assistance.models import TrainingAttendee, Visit
from kopdes.assistance.tests.activities_helpers import make_training
from kopdes.conftest import JANJU
from kopdes.formation.models import Cooperative
from kopdes.formation.tests.conftest import programme  # noqa: F401
from kopdes.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush", "programme")]


def phone(browser):
    return browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID").new_page()


def test_a_pendamping_enters_attendance_and_a_visit_on_a_phone(
    live_server, browser, admin_dinas, pendamping, operator_janju
):
    training = make_training(admin_dinas)
    page = phone(browser)
    log_in(page, live_server.url, pendamping.username)

    page.goto(f"{live_server.url}/pendampingan/pelatihan/{training.pk}/daftar-hadir/")
    page.fill("input[name=p-0-name]", "Ahmad Rifai")
    page.fill("input[name=p-0-nik]", "6401040101850003")
    page.fill("input[name=p-1-name]", "Siti Rahmah")
    page.select_option("select[name=p-1-role]", "pengawas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-testid=attendees] tbody tr").count() == 2
    assert set(TrainingAttendee.objects.values_list("name", flat=True)) == {"Ahmad Rifai", "Siti Rahmah"}

    page.goto(f"{live_server.url}/pendampingan/kunjungan/baru/")
    page.select_option("select[name=village]", JANJU)
    page.fill("input[name=visit_date]", "2025-05-08")
    page.fill("textarea[name=purpose]", "Persiapan Musdesus")
    page.fill("textarea[name=findings]", "<script>alert(1)</script> daftar hadir belum lengkap")
    page.fill("input[name=t-0-text]", "Lengkapi daftar hadir")
    page.fill("input[name=t-0-owner_name]", "Operator Desa Janju")
    page.fill("input[name=t-0-due_date]", "2025-05-12")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    visit = Visit.objects.get()
    assert page.url == f"{live_server.url}/pendampingan/kunjungan/{visit.pk}/"
    assert "<script>alert(1)</script>" in page.locator("[data-testid=findings]").inner_text()  # shown as text

    village = phone(browser)
    log_in(village, live_server.url, operator_janju.username)
    case = Cooperative.objects.get(region_code=JANJU)
    village.goto(f"{live_server.url}/koperasi/{case.pk}/")
    assert "Lengkapi daftar hadir" in village.locator("[data-testid=open-follow-ups]").inner_text()
    with village.expect_navigation():
        village.click("[data-testid=open-follow-ups] button:has-text('Tandai selesai')")
    assert village.url == f"{live_server.url}/koperasi/{case.pk}/"
    assert "Lengkapi daftar hadir" not in village.locator("[data-testid=open-follow-ups]").inner_text()
    assert village.evaluate("document.documentElement.scrollWidth") <= 360
