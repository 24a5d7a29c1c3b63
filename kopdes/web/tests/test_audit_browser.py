"""The audit log in real Chromium at 1280 px and 360 px: sentences, a filter by kind of change, the .xlsx download,
nothing wider than a phone. Screenshots go to /tmp for a person to look at."""

from __future__ import annotations

import pytest

from kopdes.accounts import services as accounts
from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.conftest import JANJU
from kopdes.cooperatives import services as registry
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the fixture, reused)
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.regions.models import Region
from kopdes.tests.browser import horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush", "programme")]
NIK = "6401045203850001"


@pytest.fixture
def history(admin_dinas, operator_janju):
    janju = case_for(JANJU)
    member = registry.add_member(
        actor=operator_janju, cooperative=janju, nik=NIK, name="A. Saputra", dusun="Dusun Satu", simpanan_pokok=100000
    )
    registry.update_member(
        actor=admin_dinas, member=member, nik=NIK, name="A. Saputra", dusun="Dusun Dua", simpanan_pokok=100000
    )
    advance(janju, 2, submitter=operator_janju, verifier=admin_dinas)
    user = accounts.create_user(
        actor=admin_dinas,
        username="op.baru",
        full_name="Budi Santoso",
        role=Role.OPERATOR_DESA,
        region=Region.objects.get(code=JANJU),
    )[0]
    accounts.set_user_active(actor=admin_dinas, user=User.objects.get(pk=user.pk), active=False)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_office_reads_filters_and_downloads_the_log(live_server, browser, admin_dinas, history, width):
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID").new_page()
    log_in(page, live_server.url, admin_dinas.username)

    page.goto(f"{live_server.url}/audit/")
    text = page.locator("[data-testid=audit-entries]").inner_text()
    assert "mengubah dusun anggota A. Saputra dari Dusun Satu menjadi Dusun Dua." in text
    assert "memverifikasi tahap 2" in text and "menonaktifkan akun Budi Santoso" in text
    assert NIK not in page.content()
    assert horizontal_overflow(page) == 0
    page.locator("[data-testid=audit-entry] summary").first.click()
    page.screenshot(path=f"/tmp/audit-log-{width}.png", full_page=True)

    page.select_option("select[name=kind]", "registry")
    with page.expect_navigation():
        page.click("[data-testid=audit-filter] button[type=submit]")
    sentences = page.locator("[data-testid=audit-sentence]").all_inner_texts()
    assert sentences and all("anggota" in s for s in sentences), sentences
    page.screenshot(path=f"/tmp/audit-log-{width}-registry.png", full_page=False)

    with page.expect_download() as download:
        page.click("[data-testid=audit-export]")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.fill("input[name=date_from]", "2025-05-01")
    page.fill("input[name=date_to]", "2025-01-01")
    with page.expect_navigation():
        page.click("[data-testid=audit-filter] button[type=submit]")
    assert page.locator(".invalid-feedback, .text-danger, .alert-danger").count() >= 1
    page.screenshot(path=f"/tmp/audit-log-{width}-bad-dates.png", full_page=False)
    page.context.close()
