"""The return form at 360 px: the BA types a month's figures (Indonesian notation), a negative cash balance is refused
with the typed value kept, and the return is submitted; no sideways scrolling. Screenshots at 360 and 1280 px go to
$KOPDES_SHOTS when set (to look at)."""

from __future__ import annotations

import os

import pytest

from kopdes.clock import local_date
from kopdes.conftest import JANJU
from kopdes.returns.models import MonthlyReturn, ReturnPeriod
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def shoot(page, name: str) -> None:
    folder = os.environ.get("KOPDES_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_a_ba_submits_a_return_on_a_phone(live_server, browser, ba_on_janju, janju):
    today = local_date(JANJU)
    period = ReturnPeriod.objects.filter(end__lt=today, locked_on__gt=today).order_by("-start").first()
    url = f"{live_server.url}/laporan-usaha/koperasi/{janju.pk}/bulan/{period.pk}/"
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 760}, locale="id-ID")
    page = context.new_page()
    log_in(page, live_server.url, ba_on_janju.username)
    page.goto(url)
    unit = janju.units[0].pk
    page.fill(f"input[name=unit_{unit}_revenue]", "Rp 4.250.000")
    page.fill(f"input[name=unit_{unit}_cost]", "3,1 jt")
    page.fill("input[name=lpg_tubes]", "560")
    page.fill("input[name=members_joined]", "6")
    page.fill("input[name=simpanan_wajib]", "120.000")
    page.fill("input[name=cash_balance]", "-50.000")
    page.fill("input[name=profit_loss]", "-75.000")
    page.fill("textarea[name=problems]", "Pasokan LPG terlambat dua minggu.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback:visible").count() == 1
    assert page.input_value("input[name=cash_balance]") == "-50.000"
    assert horizontal_overflow(page) == 0
    shoot(page, "returns-form-360-refused")

    page.fill("input[name=cash_balance]", "850.000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    created = MonthlyReturn.objects.get()
    assert (created.revenue_total, created.cash_balance, created.profit_loss) == (4_250_000, 850_000, -75_000)

    page.goto(url)  # the correction form, pre-filled from the version it corrects
    assert page.input_value(f"input[name=unit_{unit}_revenue]") == "4.250.000"
    assert horizontal_overflow(page) == 0
    shoot(page, "returns-form-360")
    context.close()

    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(wide, live_server.url, ba_on_janju.username)
    wide.goto(url)
    shoot(wide, "returns-form-1280")
