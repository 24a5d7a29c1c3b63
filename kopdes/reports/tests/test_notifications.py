"""Notifications: once per user and key, email once through the task queue after the commit, muting per type, the
bell, the notifications page, and the hooks (evidence returned, report returned, question answered)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kopdes.conftest import JANJU
from kopdes.formation import services as formation
from kopdes.formation.tests.helpers import case_for, evidence_for
from kopdes.reports import services as reports
from kopdes.reports.models import Notification, NotificationPreference
from kopdes.reports.notifications import NotificationKind, notify, send_notification_email


def run_worker():
    """What the worker does with the queued tasks (db_worker itself closes the test's database connection)."""
    for result in DBTaskResult.objects.all():
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])


@pytest.fixture
def reachable(operator_janju):
    operator_janju.email = "janju@example.test"
    operator_janju.save()
    return operator_janju


def send(user, key="question:1:answer:1", kind=NotificationKind.QUESTION_ANSWERED):
    return notify(user=user, kind=kind, key=key, text="Pertanyaan Anda telah dijawab", url="/konsultasi/1/")


def test_the_same_event_twice_makes_one_notification_and_one_email(reachable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(reachable)
        again = send(reachable)
    run_worker()
    run_worker()

    assert first is not None and again is None
    assert Notification.objects.filter(user=reachable).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["janju@example.test"]
    assert "Pertanyaan Anda telah dijawab" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_the_email_is_sent_once_even_if_the_task_runs_twice(reachable):
    notification = send(reachable)

    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


def test_the_email_waits_for_the_commit(reachable, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(reachable)

    assert not DBTaskResult.objects.exists()  # nothing enqueued before the commit
    assert len(callbacks) == 1


def test_a_muted_type_gets_no_email_but_stays_in_app(client, reachable, django_capture_on_commit_callbacks):
    client.force_login(reachable)
    kept = [k for k in NotificationKind.values if k != NotificationKind.QUESTION_ANSWERED]
    client.post(reverse("reports:notification_preferences"), {"email": kept})

    with django_capture_on_commit_callbacks(execute=True):
        send(reachable)
        send(reachable, key="evidence:1", kind=NotificationKind.EVIDENCE_RETURNED)
    run_worker()

    assert Notification.objects.filter(user=reachable).count() == 2
    assert len(mail.outbox) == 1
    emailed = Notification.objects.get(emailed_at__isnull=False)
    assert emailed.kind == NotificationKind.EVIDENCE_RETURNED
    assert NotificationPreference.objects.get(user=reachable, kind=NotificationKind.QUESTION_ANSWERED).email is False


def test_muted_after_enqueueing_is_still_not_sent(reachable):
    notification = send(reachable)
    NotificationPreference.objects.create(user=reachable, kind=NotificationKind.QUESTION_ANSWERED, email=False)

    assert send_notification_email(notification.pk) is False
    assert not mail.outbox


def test_no_address_no_email(operator_janju, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(operator_janju)

    assert not DBTaskResult.objects.exists()
    assert Notification.objects.filter(user=operator_janju).count() == 1


def test_preferences_page_shows_every_type_in_indonesian(client, operator_janju):
    client.force_login(operator_janju)

    page = client.get(reverse("reports:notification_preferences")).content.decode()

    assert page.count('name="email"') == len(NotificationKind.values)
    assert "Pertanyaan dijawab" in page


# --- the bell and the page --------------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count(client, operator_janju):
    send(operator_janju, key="a")
    send(operator_janju, key="b")
    client.force_login(operator_janju)

    page = client.get(reverse("core:home")).content.decode()

    assert 'data-testid="unread-count">2<' in page


def test_the_bell_costs_one_query(client, operator_janju, django_assert_max_num_queries):
    client.force_login(operator_janju)
    client.get(reverse("reports:notification_preferences"))
    send(operator_janju, key="a")
    with django_assert_max_num_queries(50) as before:
        client.get(reverse("reports:notification_preferences"))
    counts = [
        q["sql"]
        for q in before.captured_queries
        if "COUNT(" in q["sql"].upper() and 'reports_notification"' in q["sql"]
    ]
    assert len(counts) == 1


def test_open_marks_read_and_follows_the_link(client, operator_janju):
    notification = send(operator_janju)
    client.force_login(operator_janju)

    response = client.post(reverse("reports:open_notification", kwargs={"pk": notification.pk}), {"follow": "1"})

    assert response.status_code == 302 and response.url == "/konsultasi/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("core:home")).content.decode()


def test_an_outside_link_is_not_followed(client, operator_janju):
    notification = notify(user=operator_janju, kind="", key="x", text="x", url="https://evil.example/")
    client.force_login(operator_janju)

    response = client.post(reverse("reports:open_notification", kwargs={"pk": notification.pk}), {"follow": "1"})

    assert response.url == reverse("reports:notifications")


def test_another_users_notification_is_404(client, operator_janju, pendamping):
    notification = send(pendamping)
    client.force_login(operator_janju)

    response = client.post(reverse("reports:open_notification", kwargs={"pk": notification.pk}))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client, operator_janju, pendamping):
    send(operator_janju, key="a")
    send(operator_janju, key="b")
    theirs = send(pendamping, key="a")
    client.force_login(operator_janju)

    client.post(reverse("reports:read_all_notifications"))

    assert not Notification.objects.filter(user=operator_janju, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_page_escapes_text_and_has_constant_queries(
    client, operator_janju, django_assert_max_num_queries
):
    notify(user=operator_janju, kind="", key="h", text="<script>x</script>", url="/")
    client.force_login(operator_janju)
    with django_assert_max_num_queries(8) as few:
        page = client.get(reverse("reports:notifications")).content.decode()
    assert "<script>x</script>" not in page
    for n in range(5):
        send(operator_janju, key=f"n{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reports:notifications"))


# --- the hooks --------------------------------------------------------------------------------------------------


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
    from datetime import timedelta

    from kopdes.reports.reminders import send_report_reminders

    send_report_reminders(today=period.due - timedelta(days=1))
    send_report_reminders(today=period.due - timedelta(days=1))

    notice = Notification.objects.get(user=camat_batu_sopang)
    assert notice.kind == NotificationKind.REPORT_DUE and notice.key.startswith("report_due:")


def test_muted_report_reminders_send_no_email(period, camat_batu_sopang):
    from datetime import timedelta

    from kopdes.reports.reminders import send_report_reminders

    camat_batu_sopang.email = "camat@example.test"
    camat_batu_sopang.save()
    NotificationPreference.objects.create(user=camat_batu_sopang, kind=NotificationKind.REPORT_DUE, email=False)

    send_report_reminders(today=period.due - timedelta(days=1))

    assert Notification.objects.filter(user=camat_batu_sopang).count() == 1
    assert not mail.outbox
