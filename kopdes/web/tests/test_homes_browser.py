"""Each role's home at 360 px in real Chromium: the first thing waiting is clicked through to done; the office
verifies from its queue with the scan beside the checklist and lands on the next waiting item."""

from __future__ import annotations

from datetime import date

import pytest

from kopdes.assistance.models import QuestionStatus
from kopdes.assistance.tests.test_consultations import ask
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import Cooperative
from kopdes.formation.tests.helpers import case_for, submit
from kopdes.formation.workflow import SubmissionStatus
from kopdes.reports.models import CamatReport, ReportStatus
from kopdes.reports.services import ensure_periods
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def phone(browser, live_server, user):
    page = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="id-ID").new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, user.username)
    return page


def first_item(page):
    assert horizontal_overflow(page) == 0
    return page.locator("[data-testid=todo-item]").first


def test_the_operator_submits_its_next_stage_from_the_home(live_server, browser, programme, operator_janju):
    janju = Cooperative.objects.get(region_code=JANJU)
    page = phone(browser, live_server, operator_janju)
    assert page.locator(f"[data-testid=own-cooperative] a[href='/koperasi/{janju.pk}/']").is_visible()

    with page.expect_navigation():
        first_item(page).click()
    assert page.url.endswith(f"/koperasi/{janju.pk}/ajukan/")
    page.select_option("select[name=stage]", "1")
    page.fill("input[name=evidence_date]", "2025-04-22")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert page.locator("[data-testid=pending]").is_visible()
    assert janju.submissions.get().status == SubmissionStatus.PENDING


def test_the_camat_submits_the_report_due_from_the_home(live_server, browser, programme, camat_tanah_grogot):
    ensure_periods(programme=programme, until=date(2025, 4, 20))
    page = phone(browser, live_server, camat_tanah_grogot)

    with page.expect_navigation():
        first_item(page).click()
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")

    assert CamatReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 1
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-testid=section-reports_due] .badge").inner_text() == "2"


def test_the_pendamping_answers_the_most_overdue_question_from_the_home(
    live_server, browser, programme, operator_janju, pendamping
):
    question = ask(operator_janju)
    page = phone(browser, live_server, pendamping)

    with page.expect_navigation():
        first_item(page).click()
    page.fill("[data-testid=message-form] textarea[name=text]", "Notaris terdekat ada di Tanah Grogot.")
    with page.expect_navigation():
        page.click("[data-testid=message-form] button[type=submit]")

    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    page.goto(f"{live_server.url}/")
    assert page.locator("[data-testid=section-questions]").count() == 0


def test_the_office_verifies_from_the_home_with_the_scan_beside_the_checklist_and_lands_on_the_next(
    live_server, browser, programme, janju_scheduled, admin_dinas, operator_janju, operator_sungai_terik
):
    musdesus = submit(operator_janju, janju_scheduled, 4)  # the oldest: with its Berita Acara scan
    following = submit(operator_sungai_terik, case_for(SUNGAI_TERIK), 1)
    page = phone(browser, live_server, admin_dinas)

    with page.expect_navigation():
        first_item(page).click()
    assert page.url.endswith(f"/verifikasi/{musdesus.pk}/")
    assert page.locator("[data-testid=scan-frame]").is_visible()
    assert page.locator("[data-testid=checklist] [data-testid=check-ok]").count() == 2
    assert horizontal_overflow(page) == 0
    page.wait_for_load_state("load")  # the PDF viewer in its frame, ready before the click
    page.click("button[name=decision][value=verify]")  # the page holds a PDF frame: wait for the address, not "load"
    page.wait_for_url(f"**/verifikasi/{following.pk}/", wait_until="domcontentloaded")
    musdesus.refresh_from_db()
    assert musdesus.status == SubmissionStatus.VERIFIED


def test_the_office_verifies_from_the_queue_side_by_side_at_1280(
    live_server, browser, programme, janju_scheduled, admin_dinas, operator_janju, operator_sungai_terik
):
    musdesus = submit(operator_janju, janju_scheduled, 4)
    following = submit(operator_sungai_terik, case_for(SUNGAI_TERIK), 1)
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(page, live_server.url, admin_dinas.username)
    page.goto(f"{live_server.url}/verifikasi/")
    with page.expect_navigation():
        page.click(f"a[href='/verifikasi/{musdesus.pk}/']")

    scan = page.locator("[data-testid=scan]").bounding_box()
    checklist = page.locator("[data-testid=checklist]").bounding_box()
    assert scan and checklist and checklist["x"] > scan["x"] + scan["width"] - 1  # beside, not below
    assert abs(checklist["y"] - scan["y"]) < 5
    page.wait_for_load_state("load")
    page.fill("textarea[name=reason]", "Tanda tangan kepala desa belum ada")
    page.click("button[name=decision][value=return]")  # the page holds a PDF frame: wait for the address, not "load"
    page.wait_for_url(f"**/verifikasi/{following.pk}/", wait_until="domcontentloaded")
    musdesus.refresh_from_db()
    assert musdesus.status == SubmissionStatus.RETURNED
