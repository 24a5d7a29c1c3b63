"""Accounts from a spreadsheet in the browser, at 360 px: upload a sheet with a bad row (reported, nothing created),
then a clean one, confirm, and see the one-time passwords; the region list of the new-account form follows the role.
Screenshots go to /tmp/kopdes-accounts16-*.png."""

from __future__ import annotations

import pytest

from kopdes.accounts.models import User
from kopdes.accounts.tests.test_user_form_scope import USER_CREATE
from kopdes.conftest import JANJU, TANAH_GROGOT
from kopdes.imports.tests.test_account_import import GOOD, sheet
from kopdes.regions.models import Region
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/kopdes-accounts16-{name}-{page.viewport_size['width']}.png", full_page=True)


@pytest.mark.parametrize("width", [PHONE_WIDTH, 1280])
def test_bulk_accounts_by_clicks(live_server, page, admin_dinas, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 800})
    base = live_server.url
    log_in(page, base, "admin.dinas")
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(sheet([*GOOD, ["Ahmad", "ahmad@contoh.id", "kepala suku", JANJU]]).read())
    good = tmp_path / "akun.xlsx"
    good.write_bytes(sheet(GOOD).read())

    page.goto(f"{base}/pengguna/")
    shot(page, "user-list")
    page.click("[data-testid=accounts-upload]")
    page.set_input_files("input[type=file]", str(bad))
    page.click("[data-testid=upload-form] button[type=submit]")
    assert "Baris 5:" in page.inner_text("[data-testid=account-errors]")
    assert horizontal_overflow(page) == 0
    shot(page, "bulk-errors")
    assert not User.objects.filter(email="budi@contoh.id").exists()

    page.set_input_files("input[type=file]", str(good))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=account-preview]")
    shot(page, "bulk-preview")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=created-accounts]")
    assert page.locator("[data-testid=one-time-password]").count() == 3
    assert horizontal_overflow(page) == 0
    shot(page, "bulk-created")

    page.goto(f"{base}{USER_CREATE}")
    page.select_option("select[name=role]", "camat")
    village, kecamatan = (Region.objects.get(code=code).pk for code in (JANJU, TANAH_GROGOT))
    assert page.locator(f"select[name=region] option[value='{village}']").evaluate("o => o.hidden")
    assert not page.locator(f"select[name=region] option[value='{kecamatan}']").evaluate("o => o.hidden")
    shot(page, "user-form")
    page.goto(f"{base}/pengguna/{User.objects.get(username='budi').pk}/nonaktifkan/")
    shot(page, "confirm-deactivate")
