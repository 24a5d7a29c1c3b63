"""The training and visit forms in real Chromium at 360 px (issue 16): villages are picked from a searchable checkbox
list by keyboard and by tap, a visit photo shows its upload progress, and a form that comes back with an error names
the photo to choose again."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from kopdes.assistance.models import Training, Visit, VisitPhoto
from kopdes.conftest import JANJU
from kopdes.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]

SAW_PROGRESS = """() => {
  window.kdSawProgress = false;
  new MutationObserver(() => {
    if (document.querySelector("[data-testid=upload-progress] progress")) window.kdSawProgress = true;
  }).observe(document.body, {childList: true, subtree: true});
}"""


def large_photo(path):
    """A JPEG of about 1 MB (noise does not compress): above the size from which the upload shows its progress."""
    Image.effect_noise((1000, 1000), 120).convert("RGB").save(path, "JPEG", quality=95)
    assert path.stat().st_size > 300 * 1024
    return path


def context(browser, width):
    return browser.new_context(
        viewport={"width": width, "height": 800}, locale="id-ID", has_touch=width == 360
    ).new_page()


@pytest.mark.parametrize("width", [360, 1280])
def test_villages_are_picked_from_a_searchable_list_by_keyboard_and_tap(live_server, browser, admin_dinas, width):
    page = context(browser, width)
    log_in(page, live_server.url, admin_dinas.username)
    page.goto(f"{live_server.url}/pendampingan/pelatihan/baru/")

    checklist = page.locator("[data-kd-checklist]")
    assert checklist.locator(".kd-checklist-item").count() == 144
    page.fill("input[name=topic]", "Pembukuan koperasi")
    page.fill("input[name=start_date]", "2025-05-06")
    page.fill("input[name=place]", "Aula")
    page.fill("input[name=trainer]", "Tim Dinas")
    page.fill("input[name=organiser]", "Dinas Koperasi")
    search = checklist.get_by_role("searchbox", name="Saring daftar")
    search.fill("janju")
    assert checklist.locator(".kd-checklist-item:visible").count() == 1
    search.press("Enter")  # Enter in the filter box does not send the form
    assert page.url.endswith("/pendampingan/pelatihan/baru/") and not Training.objects.exists()
    search.press("Tab")  # keyboard: the next stop is "select all shown"
    page.keyboard.press("Space")
    assert "1 dipilih" in checklist.inner_text()
    search.fill("")
    assert checklist.locator(".kd-checklist-item:visible").count() == 144
    first = checklist.locator(".kd-checklist-item label").first
    other = first.inner_text().split(" (")[0]
    first.tap() if width == 360 else first.click()  # a tap on a row's name ticks it
    assert "2 dipilih" in checklist.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/uigaps-training-form-{width}.png", full_page=True)
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    training = Training.objects.get()
    assert set(training.invited.values_list("village__name", flat=True)) == {"Janju", other}


def test_a_visit_photo_shows_progress_and_is_asked_for_again_after_an_error(live_server, browser, pendamping, tmp_path):
    photo = large_photo(tmp_path / "balai-desa.jpg")
    page = context(browser, 360)
    log_in(page, live_server.url, pendamping.username)
    page.goto(f"{live_server.url}/pendampingan/kunjungan/baru/")

    page.select_option("select[name=village]", JANJU)
    page.fill("input[name=visit_date]", "2025-05-08")
    page.fill("textarea[name=purpose]", "Persiapan Musdesus")  # findings left empty: the form comes back
    page.set_input_files("input[name=photos]", str(photo))
    page.evaluate(SAW_PROGRESS)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=files-not-kept]")

    assert page.evaluate("window.kdSawProgress") is True
    assert "Berkas belum tersimpan — pilih lagi berkas: balai-desa.jpg" in page.inner_text("main")
    assert page.input_value("textarea[name=purpose]") == "Persiapan Musdesus"  # what was typed is kept
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/uigaps-visit-error-360.png", full_page=True)
    assert not Visit.objects.exists()

    page.fill("textarea[name=findings]", "Daftar hadir belum lengkap")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/pendampingan/kunjungan/\d+/$"))

    visit = Visit.objects.get()
    assert page.url == f"{live_server.url}/pendampingan/kunjungan/{visit.pk}/"
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    page.wait_for_selector("[data-testid=findings]")
    assert "Daftar hadir belum lengkap" in page.inner_text("[data-testid=findings]")
    page.screenshot(path="/tmp/uigaps-visit-saved-360.png", full_page=True)
    page.go_back()  # the address and the page agree again: the form, loaded afresh
    page.wait_for_url("**/pendampingan/kunjungan/baru/")
    page.wait_for_selector("textarea[name=findings]")


def test_a_pendamping_creates_a_training_for_its_kecamatan_on_a_phone(live_server, browser, pendamping):
    page = context(browser, 360)
    log_in(page, live_server.url, pendamping.username)
    page.goto(f"{live_server.url}/pendampingan/")
    with page.expect_navigation():
        page.click("main a:has-text('Pelatihan baru')")

    page.fill("input[name=topic]", "Pencatatan simpanan anggota")
    page.fill("input[name=start_date]", "2025-05-20")
    page.fill("input[name=place]", "Kantor Camat Tanah Grogot")
    page.fill("input[name=trainer]", "Pendamping")
    page.fill("input[name=organiser]", "Pendamping Kecamatan")
    checklist = page.locator("[data-kd-checklist]")
    checklist.get_by_role("searchbox").fill("sungai")
    checklist.get_by_role("button", name="Pilih semua yang tampil").tap()
    chosen = checklist.locator("input:checked").count()
    assert chosen >= 1 and f"{chosen} dipilih" in checklist.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    training = Training.objects.get()
    assert training.region_code == "64.01.04" and training.created_by == pendamping
    assert training.invited.count() == chosen
    assert page.locator("main a:has-text('Ubah')").count() == 1  # it manages its own training
    page.screenshot(path="/tmp/uigaps-pendamping-training-360.png", full_page=True)
    for name, path in (("training-list", "/pendampingan/pelatihan/"), ("dashboard", "/pendampingan/")):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=f"/tmp/uigaps-pendamping-{name}-360.png", full_page=True)
