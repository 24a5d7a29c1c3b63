"""Reminders: before the due date and from the day after, in-app and by email, never twice."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from kopdes.notifications.models import Notification
from kopdes.reports import services
from kopdes.reports.models import SentReminder


def run(day) -> None:
    call_command("send_report_reminders", "--now", f"--today={day.isoformat()}", stdout=open("/dev/null", "w"))


def test_reminder_before_the_due_date_is_sent_once(camat_batu_sopang, camat_tanah_grogot, period):
    camat_batu_sopang.email = "camat@example.test"
    camat_batu_sopang.save()
    day = period.due - timedelta(days=1)

    run(day)
    run(day)

    assert Notification.objects.filter(user=camat_batu_sopang).count() == 1
    assert Notification.objects.filter(user=camat_tanah_grogot).count() == 1
    assert [m.to for m in mail.outbox] == [["camat@example.test"]]  # only who has an address
    assert SentReminder.objects.filter(kind="before").count() == 2


def test_no_reminder_for_a_kecamatan_that_reported(camat_batu_sopang, camat_tanah_grogot, batu_sopang, period):
    services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)

    run(period.due)

    assert not Notification.objects.filter(user=camat_batu_sopang).exists()
    assert Notification.objects.filter(user=camat_tanah_grogot).count() == 1


def test_reminder_after_the_due_date_is_a_second_one(camat_batu_sopang, period):
    run(period.due - timedelta(days=2))
    run(period.due + timedelta(days=1))
    run(period.due + timedelta(days=2))

    kinds = sorted(SentReminder.objects.filter(user=camat_batu_sopang, period=period).values_list("kind", flat=True))
    assert kinds == ["after", "before"]
    assert "belum diajukan" in Notification.objects.filter(user=camat_batu_sopang).first().text


def test_nothing_far_from_the_due_date(camat_batu_sopang, period):
    run(period.due - timedelta(days=4))

    assert not Notification.objects.exists()


def test_the_command_enqueues_a_task_by_default(camat_batu_sopang, period):
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))

    assert DBTaskResult.objects.count() == 1
    assert not Notification.objects.exists()  # the worker sends them
