"""Notifications: once per user and key, email once through the task queue after the commit, muting per type, the
bell, the notifications page. The apps' own notifications: kopdes/reports/tests/test_notifications_sent.py."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kopdes.notifications.models import Notification, NotificationKind, NotificationPreference
from kopdes.notifications.services import notify, send_notification_email


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
    token = client.get(reverse("notifications:preferences")).context["read_token"]
    client.post(reverse("notifications:preferences"), {"email": kept, "dibaca": token})

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

    page = client.get(reverse("notifications:preferences")).content.decode()

    assert page.count('name="email"') == len(NotificationKind.values)
    assert "Pertanyaan dijawab" in page


# --- the bell and the page --------------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count(client, operator_janju):
    send(operator_janju, key="a")
    send(operator_janju, key="b")
    client.force_login(operator_janju)

    page = client.get(reverse("web:home")).content.decode()

    assert 'data-testid="unread-count">2<' in page


def test_the_bell_costs_one_query(client, operator_janju, django_assert_max_num_queries):
    client.force_login(operator_janju)
    client.get(reverse("notifications:preferences"))
    send(operator_janju, key="a")
    with django_assert_max_num_queries(50) as before:
        client.get(reverse("notifications:preferences"))
    counts = [
        q["sql"]
        for q in before.captured_queries
        if "COUNT(" in q["sql"].upper() and 'reports_notification"' in q["sql"]
    ]
    assert len(counts) == 1


def test_open_marks_read_and_follows_the_link(client, operator_janju):
    notification = send(operator_janju)
    client.force_login(operator_janju)

    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}), {"follow": "1"})

    assert response.status_code == 302 and response.url == "/konsultasi/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("web:home")).content.decode()


def test_an_outside_link_is_not_followed(client, operator_janju):
    notification = notify(user=operator_janju, kind="", key="x", text="x", url="https://evil.example/")
    client.force_login(operator_janju)

    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}), {"follow": "1"})

    assert response.url == reverse("notifications:list")


def test_another_users_notification_is_404(client, operator_janju, pendamping):
    notification = send(pendamping)
    client.force_login(operator_janju)

    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client, operator_janju, pendamping):
    send(operator_janju, key="a")
    send(operator_janju, key="b")
    theirs = send(pendamping, key="a")
    client.force_login(operator_janju)

    client.post(reverse("notifications:read_all"))

    assert not Notification.objects.filter(user=operator_janju, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_page_escapes_text_and_has_constant_queries(
    client, operator_janju, django_assert_max_num_queries
):
    notify(user=operator_janju, kind="", key="h", text="<script>x</script>", url="/")
    client.force_login(operator_janju)
    # session, user, assignments, notifications, bell, menu checks; +1: the printed letterhead (base.html)
    with django_assert_max_num_queries(10) as few:
        page = client.get(reverse("notifications:list")).content.decode()
    assert "<script>x</script>" not in page
    for n in range(5):
        send(operator_janju, key=f"n{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))


# --- the hooks --------------------------------------------------------------------------------------------------
