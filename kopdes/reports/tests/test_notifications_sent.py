"""The apps' notifications go through `notify` with a key: returned evidence, returned reports, report reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.formation import services as formation
from kopdes.formation.tests.helpers import case_for, evidence_for
from kopdes.notifications.models import Notification, NotificationKind, NotificationPreference
from kopdes.reports import services as reports
from kopdes.reports.reminders import send_report_reminders

pytestmark = pytest.mark.django_db


def test_returned_evidence_notifies_the_submitter(programme, operator_janju, admin_dinas):
    case = case_for(JANJU)
    pending = formation.submit_stage(
        actor=operator_janju, cooperative=case, version=case.version, stage=1, **evidence_for(1)
    )

    formation.return_submission(actor=admin_dinas, submission=pending, reason="Foto buram")

    notice = Notification.objects.get(user=operator_janju, kind=NotificationKind.EVIDENCE_RETURNED)
    assert "Foto buram" in notice.text
    assert notice.url == reverse("formation:case_detail", kwargs={"pk": case.pk})


def test_returned_report_notifies_the_camat(period, camat_batu_sopang, admin_dinas, batu_sopang):
    report = reports.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="-")

    reports.return_report(actor=admin_dinas, report=report, comment="Lengkapi kendala")

    notice = Notification.objects.get(user=camat_batu_sopang, kind=NotificationKind.REPORT_RETURNED)
    assert "Lengkapi kendala" in notice.text
    assert notice.url == reverse("reports:report_detail", kwargs={"pk": report.pk})


def test_report_reminders_go_through_notify_with_a_key(period, camat_batu_sopang):
    send_report_reminders(today=period.due - timedelta(days=1))
    send_report_reminders(today=period.due - timedelta(days=1))

    notice = Notification.objects.get(user=camat_batu_sopang)
    assert notice.kind == NotificationKind.REPORT_DUE and notice.key.startswith("report_due:")


def test_muted_report_reminders_send_no_email(period, camat_batu_sopang):
    camat_batu_sopang.email = "camat@example.test"
    camat_batu_sopang.save()
    NotificationPreference.objects.create(user=camat_batu_sopang, kind=NotificationKind.REPORT_DUE, email=False)

    send_report_reminders(today=period.due - timedelta(days=1))

    assert Notification.objects.filter(user=camat_batu_sopang).count() == 1
    assert not mail.outbox
