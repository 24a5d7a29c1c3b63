"""Each home is that role's to-do list: what waits for the user, most overdue first, each item with its link; a fixed
number of queries per role whatever the amount of data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kopdes.accounts.roles import Role
from kopdes.assistance.models import Question
from kopdes.assistance.services import consultations
from kopdes.assistance.tests.activities_helpers import make_visit
from kopdes.conftest import JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation import services
from kopdes.formation.tests.helpers import advance, case_for, submit
from kopdes.regions.models import Region
from kopdes.reports.services import ensure_periods
from kopdes.tests.factories import make_user
from kopdes.web.selectors import home_tasks


def ask(user, code=JANJU, subject="Notaris untuk akta pendirian"):
    return consultations.ask_question(
        actor=user, village=Region.objects.get(code=code), category="legal", subject=subject, text="Siapa notarisnya?"
    )


def section(tasks: dict, key: str) -> dict:
    return next(s for s in tasks["sections"] if s["key"] == key)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


# --- operator desa / pengurus --------------------------------------------------------------------------------------


def test_the_operator_sees_its_cooperative_and_the_next_stage_with_what_it_needs(client, programme, operator_janju):
    janju = case_for(JANJU)
    page = home(client, operator_janju)

    assert f'href="{reverse("formation:case_detail", args=[janju.pk])}"' in page
    next_stage = section(home_tasks(operator_janju), "next_stage")["items"]
    assert len(next_stage) == 1
    assert next_stage[0]["url"] == reverse("formation:submit_stage", args=[janju.pk])
    assert "1." in next_stage[0]["title"]


def test_returned_evidence_comes_with_the_office_reason(programme, operator_janju, admin_dinas):
    janju = case_for(JANJU)
    pending = submit(operator_janju, janju, 1)
    services.return_submission(actor=admin_dinas, submission=pending, reason="Tanggal tidak sesuai daftar hadir")

    tasks = home_tasks(operator_janju)

    returned = section(tasks, "returned")["items"]
    assert len(returned) == 1 and "Tanggal tidak sesuai daftar hadir" in returned[0]["title"]
    assert returned[0]["url"] == reverse("formation:submit_stage", args=[janju.pk])
    assert section(tasks, "next_stage")["items"] == []  # the returned stage is the next step, said once


def test_while_the_office_checks_nothing_waits_for_the_village(programme, operator_janju):
    submit(operator_janju, case_for(JANJU), 1)
    tasks = home_tasks(operator_janju)
    assert tasks["waiting"] == 0 and tasks["own"][0]["pending"] is not None


def test_a_pengurus_is_sent_to_the_case_not_to_a_form_it_may_not_use(programme):
    pengurus = make_user("pengurus.janju", Role.PENGURUS, JANJU)
    janju = case_for(JANJU)
    [item] = section(home_tasks(pengurus), "next_stage")["items"]
    assert item["url"] == reverse("formation:case_detail", args=[janju.pk])


def test_answers_to_read(programme, operator_janju, pendamping):
    question = ask(operator_janju)
    consultations.post_message(actor=pendamping, question=question, text="Notaris di Tanah Grogot.")
    [item] = section(home_tasks(operator_janju), "answers")["items"]
    assert item["url"] == reverse("assistance:question_detail", args=[question.pk])


# --- camat ---------------------------------------------------------------------------------------------------------


def test_the_camat_sees_the_report_due_and_the_villages_waiting(programme, camat_tanah_grogot, operator_janju):
    ensure_periods(programme=programme, until=date(2025, 4, 20))
    submit(operator_janju, case_for(JANJU), 1)

    tasks = home_tasks(camat_tanah_grogot, today=date(2025, 4, 20))

    reports = section(tasks, "reports_due")
    assert reports["count"] >= 2
    dues = [item["due"] for item in reports["items"]]
    assert dues == sorted(dues)  # the most overdue first
    assert reports["items"][0]["overdue_days"] > 0
    [village] = section(tasks, "villages")["items"]
    assert village["url"] == reverse("formation:case_detail", args=[case_for(JANJU).pk])


# --- pendamping ----------------------------------------------------------------------------------------------------


def test_the_pendamping_sees_questions_by_deadline_and_follow_ups_due(programme, operator_janju, pendamping):
    first = ask(operator_janju, subject="Pertama")
    second = ask(operator_janju, subject="Kedua")
    Question.objects.filter(pk=second.pk).update(due_at=timezone.now() - timedelta(days=3))
    visit = make_visit(pendamping, JANJU, due=date(2025, 5, 12))

    tasks = home_tasks(pendamping)

    assert [i["title"] for i in section(tasks, "questions")["items"]] == ["Kedua", "Pertama"]
    assert section(tasks, "questions")["items"][0]["overdue_days"] >= 2
    assert first.pk
    [follow_up] = section(tasks, "follow_ups")["items"]
    assert follow_up["url"] == reverse("assistance:visit_detail", args=[visit.pk])


def test_the_inbox_is_ordered_by_deadline(client, programme, operator_janju, pendamping):
    ask(operator_janju, subject="Masih lama")
    late = ask(operator_janju, subject="Sudah lewat")
    Question.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=5))
    client.force_login(pendamping)
    page = client.get(reverse("assistance:inbox")).content.decode()
    assert page.index("Sudah lewat") < page.index("Masih lama")


# --- admin dinas ---------------------------------------------------------------------------------------------------


def test_the_office_sees_its_queue_oldest_first_overdue_reports_and_questions(
    programme, admin_dinas, operator_janju, operator_sungai_terik, camat_tanah_grogot
):
    older = submit(operator_sungai_terik, case_for(SUNGAI_TERIK), 1)
    submit(operator_janju, case_for(JANJU), 1)
    ensure_periods(programme=programme, until=date(2025, 5, 1))
    question = ask(operator_janju)
    Question.objects.filter(pk=question.pk).update(due_at=timezone.now() - timedelta(days=1))

    tasks = home_tasks(admin_dinas, today=date(2025, 5, 1))

    queue = section(tasks, "queue")
    assert queue["count"] == 2
    assert queue["items"][0]["url"] == reverse("formation:verify_item", args=[older.pk])
    late = section(tasks, "overdue_reports")
    assert late["count"] > 0 and any(TANAH_GROGOT in i["url"] for i in late["items"])
    assert section(tasks, "overdue_questions")["count"] == 1


# --- pimpinan, mitra: no tasks, said plainly -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pimpinan", "mitra"])
def test_leadership_and_partners_are_told_nothing_waits(client, programme, request, role):
    page = home(client, request.getfixturevalue(role))
    assert 'data-testid="nothing-waits"' in page
    assert "Tidak ada pekerjaan yang menunggu" in page


# --- constant queries ----------------------------------------------------------------------------------------------


def queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("web:home"))  # warm the process-wide caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web:home")).status_code == 200
    return len(captured.captured_queries)


def busy(admin_dinas, pendamping, operator_janju, n: int, first: int = 0) -> None:
    """More of everything each home lists: questions, follow-ups, submissions, returns."""
    for i in range(n):
        question = ask(operator_janju, subject=f"Pertanyaan {i}")
        consultations.post_message(actor=pendamping, question=question, text="Jawaban")
        ask(operator_janju, subject=f"Terbuka {i}")
        make_visit(pendamping, JANJU, due=date(2025, 5, 12) + timedelta(days=i))
    villages = Region.objects.filter(code__startswith=TANAH_GROGOT + ".").villages().order_by("code")[first : first + n]
    for index, village in enumerate(villages):
        case = case_for(village.code)
        advance(case, index % 3, submitter=admin_dinas)
        pending = submit(admin_dinas, case, case.stage + 1)
        if index % 2:
            services.return_submission(actor=admin_dinas, submission=pending, reason="Kurang lengkap")


@pytest.mark.parametrize("role", ["operator_janju", "camat_tanah_grogot", "pendamping", "admin_dinas", "pimpinan"])
def test_each_home_runs_the_same_queries_whatever_the_data(client, programme, request, role):
    user = request.getfixturevalue(role)
    admin_dinas = request.getfixturevalue("admin_dinas")
    pendamping = request.getfixturevalue("pendamping")
    operator_janju = request.getfixturevalue("operator_janju")
    ensure_periods(programme=programme, until=date(2025, 5, 1))
    busy(admin_dinas, pendamping, operator_janju, 1)
    few = queries(client, user)
    busy(admin_dinas, pendamping, operator_janju, 4, first=1)
    ensure_periods(programme=programme, until=date(2025, 7, 1))
    assert queries(client, user) == few
