"""The office's summary of questions (for the assistance dashboard): open and overdue by category and kecamatan,
median time to the first answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from kopdes.assistance.selectors.consultations import question_summary
from kopdes.assistance.services import consultations as services
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.regions.models import Region


def ask(user, code, category, at):
    return services.ask_question(
        actor=user, village=Region.objects.get(code=code), category=category, subject="S", text="T", at=at
    )


def test_summary_counts_and_medians(operator_janju, operator_sungai_terik, pendamping, admin_dinas):
    long_ago = datetime(2025, 5, 5, 8, tzinfo=UTC)  # a Monday
    now = timezone.now()
    late = ask(operator_janju, JANJU, "legal", long_ago)  # open, overdue
    ask(operator_janju, JANJU, "legal", now)  # open, not due yet
    two_hours = ask(operator_sungai_terik, SUNGAI_TERIK, "musdesus", long_ago)
    services.post_message(actor=admin_dinas, question=two_hours, text="J", at=long_ago + timedelta(hours=2))
    six_hours = ask(operator_janju, JANJU, "musdesus", long_ago)
    services.post_message(actor=pendamping, question=six_hours, text="J", at=long_ago + timedelta(hours=6))

    summary = question_summary(admin_dinas)

    assert (summary["open"], summary["overdue"], summary["answered"]) == (2, 1, 2)
    assert summary["median_hours"] == 4.0
    legal = next(row for row in summary["by_category"] if row["category"] == "legal")
    musdesus = next(row for row in summary["by_category"] if row["category"] == "musdesus")
    assert (legal["open"], legal["overdue"], legal["median_hours"]) == (2, 1, None)
    assert (musdesus["open"], musdesus["median_hours"]) == (0, 4.0)
    assert summary["by_kecamatan"] == [
        {"code": late.kecamatan.code, "name": "Kecamatan Tanah Grogot", "open": 2, "overdue": 1}
    ]
    html = render_to_string("assistance/consultations/_summary.html", {"summary": summary})
    assert "Kecamatan Tanah Grogot" in html and "Median waktu sampai jawaban pertama: 4,0 jam" in html


def test_summary_is_scoped_to_the_office(operator_janju, pendamping, admin_dinas, camat_batu_sopang):
    ask(operator_janju, JANJU, "legal", timezone.now())

    assert question_summary(admin_dinas)["open"] == 1
    assert question_summary(camat_batu_sopang)["open"] == 0  # not the office


def test_summary_queries_do_not_grow(operator_janju, admin_dinas, pendamping, django_assert_num_queries):
    for n in range(3):
        ask(operator_janju, JANJU, "digital", timezone.now() - timedelta(days=n))
    admin_dinas = type(admin_dinas).objects.get(pk=admin_dinas.pk)
    with django_assert_num_queries(4):  # assignments, by category, by kecamatan, answer times
        question_summary(admin_dinas)
