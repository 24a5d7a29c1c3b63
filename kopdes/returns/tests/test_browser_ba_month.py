"""A BA's month at 360 px, across four people: the BA enters two cooperatives' returns, the office returns one and sees
the completeness fall, the BA corrects it and the completeness is back; the BA's monthly report is accepted by the
office and appears in the PMO's recap. No page scrolls sideways. Screenshots go to $KOPDES_SHOTS when set."""

from __future__ import annotations

import os
from datetime import date

import pytest

from kopdes.clock import local_date
from kopdes.conftest import JANJU
from kopdes.returns.models import AssistantAssignment, MonthlyReturn, ReturnPeriod, ReturnStatus
from kopdes.returns.models_ba import BAReport, BAReportStatus
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def shoot(page, name: str) -> None:
    folder = os.environ.get("KOPDES_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def phone(browser, base_url: str, username: str):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 760}, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, base_url, username)
    return page


def submit(page) -> None:
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
        " document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className).slice(0, 8).join(' | ')"
    )
    assert horizontal_overflow(page) == 0, f"{page.url}: {wide}"


def enter_return(page, base_url: str, cooperative, period, revenue: str) -> None:
    page.goto(f"{base_url}/laporan-usaha/koperasi/{cooperative.pk}/bulan/{period.pk}/")
    for unit in cooperative.units:
        page.fill(f"input[name=unit_{unit.pk}_revenue]", revenue)
        page.fill(f"input[name=unit_{unit.pk}_cost]", "1.000.000")
    page.fill("input[name=cash_balance]", "850.000")
    submit(page)


def test_a_ba_month_from_returns_to_the_pmo_recap(
    live_server, browser, ba_on_janju, janju, sungai_terik, admin_dinas, pmo
):
    base = live_server.url
    AssistantAssignment.objects.create(
        assistant=ba_on_janju,
        cooperative=sungai_terik,
        region_code=sungai_terik.region_code,
        started_on=date(2026, 1, 5),
        assigned_by=admin_dinas,
    )
    today = local_date(JANJU)
    period = ReturnPeriod.objects.filter(end__lt=today, locked_on__gt=today).order_by("-start").first()
    ba = phone(browser, base, ba_on_janju.username)
    office = phone(browser, base, admin_dinas.username)
    completeness = f"{base}/laporan-usaha/kelengkapan/64.01/?bulan={period.pk}"

    office.goto(completeness)
    before = office.get_by_test_id("total").inner_text()
    enter_return(ba, base, janju, period, "4.250.000")
    enter_return(ba, base, sungai_terik, period, "2.000.000")
    assert MonthlyReturn.objects.filter(period=period, status=ReturnStatus.SUBMITTED).count() == 2
    office.goto(completeness)
    both = office.get_by_test_id("total").inner_text()
    assert both != before
    shoot(office, "ba-month-completeness-360")

    # the office returns Janju's with a reason: the month's completeness falls back
    janjus = MonthlyReturn.objects.get(period=period, cooperative=janju, status=ReturnStatus.SUBMITTED)
    office.goto(f"{base}/laporan-usaha/{janjus.pk}/")
    office.fill("textarea[name=reason]", "Pendapatan gerai LPG tertukar dengan sembako.")
    submit(office)
    office.goto(completeness)
    returned = office.get_by_test_id("total").inner_text()
    assert returned != both

    # the BA corrects it (a new version): complete again
    enter_return(ba, base, janju, period, "4.300.000")
    office.goto(completeness)
    assert office.get_by_test_id("total").inner_text() == both

    # the BA's monthly report: a checklist per assigned cooperative, submitted to the office
    ba.goto(f"{base}/laporan-ba/bulan/{period.pk}/")
    assert ba.get_by_test_id("checklist").count() == 2
    ba.fill("textarea[name=summary]", "Dua koperasi melapor; laporan Janju dikoreksi.")
    shoot(ba, "ba-report-form-360")
    submit(ba)
    report = BAReport.objects.get(assistant=ba_on_janju, period=period)
    assert report.status == BAReportStatus.SUBMITTED and report.items.count() == 2

    office.goto(f"{base}/laporan-ba/{report.pk}/")
    with office.expect_navigation():
        office.click("button[name=terima]")
    report.refresh_from_db()
    assert report.status == BAReportStatus.ACCEPTED

    pmo_page = phone(browser, base, pmo.username)
    pmo_page.goto(f"{base}/laporan-ba/wilayah/64.01/?bulan={period.pk}")
    recap = pmo_page.get_by_test_id("ba-recap").inner_text()
    assert ba_on_janju.get_full_name() in recap or ba_on_janju.username in recap
    assert "Belum ada" not in recap
    assert horizontal_overflow(pmo_page) == 0
    shoot(pmo_page, "ba-recap-360")
