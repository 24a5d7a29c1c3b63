"""Real Chromium: the office uploads a messy status sheet, sees the row-numbered error, uploads the fixed file from the
same page, confirms, and the village has moved; the pages fit a 360 px phone."""

from __future__ import annotations

import pytest

from kopdes.conftest import JANJU
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.tests.test_village_status_import import status_sheet
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def test_upload_errors_fixed_file_and_import_in_the_browser(live_server, page, programme, admin_dinas, tmp_path):
    bad, fixed = tmp_path / "status-desa.xlsx", tmp_path / "status-desa-perbaikan.xlsx"
    bad.write_bytes(status_sheet())
    fixed.write_bytes(status_sheet(kasungai="Kasungai"))
    log_in(page, live_server.url, admin_dinas.username)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Impor data").click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Unggah dan periksa").click()
    errors = page.locator("[data-testid=errors] tbody tr")
    assert errors.count() == 1
    assert "Baris 8" in errors.first.inner_text() and "Kasungai" in errors.first.inner_text()
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    assert horizontal_overflow(page) == 0
    page.set_viewport_size({"width": 1280, "height": 900})

    page.set_input_files("input[type=file]", str(fixed))
    page.get_by_role("button", name="Unggah dan periksa").click()
    assert "Pratinjau" in page.locator("[data-testid=status]").inner_text()
    assert page.locator("[data-testid=changed] tbody tr").count() == 3
    assert case_for(JANJU).stage == 0
    page.get_by_role("button", name="Impor: 0 baru, 3 berubah").click()
    assert "Diimpor" in page.locator("[data-testid=status]").inner_text()
    assert case_for(JANJU).stage == 4
