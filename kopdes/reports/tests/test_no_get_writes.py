"""Opening a page writes nothing: the reporting periods come from the scheduled job (open_report_periods), and a page
whose period is not open yet says so."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG, PASER
from kopdes.notifications.tests.test_notifications import run_worker
from kopdes.reports.models import CamatReport, ReportPeriod

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return ReportPeriod.objects.count(), CamatReport.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    ("name", "code"), [("reports:current", BATU_SOPANG), ("reports:completeness", PASER), ("reports:index", None)]
)
def test_opening_a_report_page_before_the_job_ran_writes_nothing(
    client, camat_batu_sopang, admin_dinas, programme, name, code
):
    user = camat_batu_sopang if name == "reports:current" else admin_dinas
    client.force_login(user)
    before = counts()

    response = client.get(reverse(name, kwargs={"code": code} if code else {}))

    assert response.status_code == 200
    assert counts() == before
    assert before[0] == 0


def test_the_current_report_page_says_the_period_is_not_open_yet(client, camat_batu_sopang, programme):
    client.force_login(camat_batu_sopang)

    page = client.get(reverse("reports:current", kwargs={"code": BATU_SOPANG})).content.decode()

    assert 'data-testid="no-period"' in page and "belum dibuka" in page


def test_the_scheduled_job_opens_the_periods_once_through_the_task_queue(client, camat_batu_sopang, programme):
    call_command("open_report_periods")  # enqueued, as cron does; the worker runs it
    assert DBTaskResult.objects.count() == 1 and not ReportPeriod.objects.exists()
    run_worker()
    opened = ReportPeriod.objects.count()
    entries = AuditEntry.objects.filter(action="reports.ensure_periods")

    call_command("open_report_periods", "--now")  # a second run opens nothing new

    assert opened > 0 and ReportPeriod.objects.count() == opened and entries.count() == 1
    assert entries.get().source == "scheduler"
    client.force_login(camat_batu_sopang)
    response = client.get(reverse("reports:current", kwargs={"code": BATU_SOPANG}))
    assert response.status_code == 302 and "/periode/" in response.url
