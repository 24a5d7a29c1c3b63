"""Follow-up due notifications: on and after the due date, to the visit's pendamping and the village's operator desa,
once per follow-up and user however often the job runs."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from kopdes.assistance.reminders_activities import send_follow_up_reminders
from kopdes.assistance.services import activities as services
from kopdes.assistance.tests.activities_helpers import make_visit
from kopdes.conftest import JANJU
from kopdes.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_a_due_follow_up_notifies_the_pendamping_and_the_village_operator_once(pendamping, operator_janju):
    visit = make_visit(pendamping, JANJU, due=date(2025, 5, 12))
    follow_up = visit.follow_ups.get()

    first = send_follow_up_reminders(today=date(2025, 5, 12))
    second = send_follow_up_reminders(today=date(2025, 5, 13))

    assert (first, second) == (2, 0)
    sent = Notification.objects.order_by("user__username")
    assert [(n.user, n.kind, n.key) for n in sent] == [
        (operator_janju, NotificationKind.FOLLOW_UP_DUE, f"follow-up:{follow_up.pk}:due"),
        (pendamping, NotificationKind.FOLLOW_UP_DUE, f"follow-up:{follow_up.pk}:due"),
    ]
    assert "Tindak lanjut kunjungan ke Desa Janju tanggal 08/05/2025 jatuh tempo pada 12/05/2025" in sent[0].text
    assert sent[0].url == f"/pendampingan/kunjungan/{visit.pk}/"


def test_a_follow_up_not_due_yet_or_done_is_not_notified(pendamping, operator_janju):
    make_visit(pendamping, JANJU, due=date(2025, 5, 20))
    done = make_visit(pendamping, JANJU, due=date(2025, 5, 10)).follow_ups.get()
    services.mark_follow_up_done(actor=operator_janju, follow_up=done)

    assert send_follow_up_reminders(today=date(2025, 5, 12)) == 0
    assert not Notification.objects.exists()


def test_the_command_runs_the_reminders_twice_without_sending_twice(pendamping):
    make_visit(pendamping, JANJU, due=date(2025, 5, 12))
    out = StringIO()

    call_command("send_follow_up_reminders", "--now", "--today", "2025-05-12", stdout=out)
    call_command("send_follow_up_reminders", "--now", "--today", "2025-05-12", stdout=out)

    assert out.getvalue().splitlines() == ["1 notification(s) sent", "0 notification(s) sent"]
    assert Notification.objects.filter(user=pendamping).count() == 1


def test_without_a_date_the_village_calendar_decides(pendamping):
    make_visit(pendamping, JANJU, due=date(2025, 5, 12))  # long past

    assert send_follow_up_reminders() == 1


def test_the_command_enqueues_a_task_by_default(pendamping, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_visit(pendamping, JANJU, due=date(2025, 5, 12))
    out = StringIO()

    call_command("send_follow_up_reminders", "--today", "2025-05-12", stdout=out)

    assert out.getvalue().startswith("enqueued task")
    assert Notification.objects.filter(user=pendamping).count() == 1
