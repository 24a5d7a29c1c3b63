"""The consultation path in real Chromium: the operator of Janju asks about the notary on a phone, the pendamping of
Tanah Grogot answers, the operator sees the bell count and opens the notification, the office publishes the question
to the FAQ, and the public FAQ shows it without the operator's name, NIK or phone number."""

from __future__ import annotations

import re

import pytest

from kopdes.assistance.models import Question
from kopdes.tests.browser import PHONE_WIDTH, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]

NIK = "6401041203850001"
PHONE = "0812 3456 7890"


def test_question_answer_notification_and_public_faq(live_server, browser, operator_janju, pendamping, admin_dinas):
    operator_janju.full_name = "Siti Aminah"
    operator_janju.save()
    base = live_server.url

    village = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="id-ID").new_page()
    log_in(village, base, operator_janju.username)
    assert not village.locator("nav a:has-text('Konsultasi')").is_visible()  # the phone's menu is folded
    village.click("[data-testid=menu-button]")
    village.click("nav a:has-text('Konsultasi')")
    village.click("[data-testid=ask]")
    village.select_option("select[name=category]", "legal")
    village.fill("input[name=subject]", "Notaris untuk akta pendirian")
    village.fill(
        "textarea[name=text]",
        f"Saya Siti Aminah, NIK {NIK}, HP {PHONE}. Notaris mana yang membuat akta pendirian koperasi kami?",
    )
    with village.expect_navigation():
        village.click("main form button[type=submit]")
    question = Question.objects.get()
    assert village.url == f"{base}/konsultasi/{question.pk}/"
    assert village.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert village.locator("[data-testid=unread-count]").count() == 0

    helper = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(helper, base, pendamping.username)
    assert helper.locator("[data-testid=unread-count]").inner_text() == "1"  # the new question
    helper.click("nav a:has-text('Konsultasi')")
    helper.click("[data-testid=questions] a:has-text('Notaris untuk akta pendirian')")
    helper.fill("textarea[name=text]", "Bu Siti, pilih Notaris Pembuat Akta Koperasi (NPAK) yang terdaftar.")
    with helper.expect_navigation():
        helper.click("[data-testid=message-form] button[type=submit]")
    assert "Dijawab" in helper.locator("[data-testid=status]").inner_text()

    village.goto(f"{base}/")
    assert village.locator("[data-testid=unread-count]").inner_text() == "1"
    village.click("[data-testid=bell]")
    assert "Pertanyaan Anda telah dijawab" in village.locator("[data-testid=notifications]").inner_text()
    with village.expect_navigation():
        village.click("[data-testid=notifications] button:has-text('Buka')")
    assert village.url == f"{base}/konsultasi/{question.pk}/"
    assert "NPAK" in village.locator("[data-testid=answer]").inner_text()
    assert village.locator("[data-testid=unread-count]").count() == 0

    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(office, base, admin_dinas.username)
    office.goto(f"{base}/konsultasi/{question.pk}/")
    office.click("[data-testid=publish-link]")
    draft = office.input_value("textarea[name=public_question]")
    assert "Siti" not in draft and NIK not in draft and "3456" not in draft
    with office.expect_navigation():
        office.click("button[value=publish]")
    assert "dipublikasikan" in office.locator("main").inner_text()

    public = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="id-ID").new_page()
    public.goto(f"{base}/publik/")
    public.click("[data-testid=faq-link]")
    public.fill("input[name=q]", "notaris pendirian")
    with public.expect_navigation():
        public.click("main form button[type=submit]")
    faq = public.locator("[data-testid=faq]").inner_text()
    assert "NPAK" in faq and "akta pendirian" in faq
    text = public.locator("main").inner_text()
    for leaked in ("Siti", "Aminah", operator_janju.username, str(pendamping)):
        assert leaked not in text
    assert not re.search(r"\d{8,}", re.sub(r"[\s.\-]", "", text))
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
