"""Notifications: one entry point, `notify`, for every app. Reads (unread count, preferences): `selectors`.

In-app always; by email unless the user muted that type (NotificationPreference) or has no address.
Idempotent: a notification is created once per (user, key), however often the same event is reported (a scheduler
run twice, a retried task), and its email is sent once (`emailed_at` is claimed before sending). The email goes out
through the django-tasks queue after the commit (the same database backend as the report reminders), so a failing
mail server never undoes the event that caused it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.notifications.models import Notification, NotificationKind, NotificationPreference
from kopdes.notifications.selectors import emailed_kinds, preferences_key, wants_email


def notify(*, user, kind: str, key: str, text: str, url: str = "", email: bool = True) -> Notification | None:
    """Create the in-app notification for `user` unless one with this `key` exists. Returns it, or None when it was
    already sent. `text` is final (already in the user's language). With `email`, its email is enqueued after the
    commit; a caller that already runs in the worker may pass email=False and call `send_notification_email` itself."""
    if not key:
        raise ValueError("a notification needs a key (what it is about) to be sent only once")
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key, text=text[:500], url=url, created_at=timezone.now()
            )
    except IntegrityError:  # a concurrent run created it a moment ago
        return None
    if email and wants_email(user, kind):
        pk = notification.pk
        transaction.on_commit(lambda: send_notification_email_task.enqueue(pk))
    return notification


def send_notification_email(notification_id: int) -> bool:
    """Send the email of one notification, once: the first caller claims it (emailed_at), later calls do nothing.
    Muted types and users without an address get none. Returns whether an email went out."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at or not wants_email(notification.user, notification.kind):
        return False
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    link = f"{settings.KOPDES_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    with translation.override("id"):
        kind = NotificationKind(notification.kind).label if notification.kind in NotificationKind.values else ""
        subject = f"Kopdes: {kind}" if kind else "Kopdes"
        body = "\n\n".join(
            part
            for part in (notification.text, link, _("You can turn these emails off on your notifications page."))
            if part
        )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    except Exception:
        # give the claim back so a retry of the task may send it; the in-app notification stays
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def reminder_sent(notification: Notification | None) -> int:
    """After a scheduled reminder's record is committed: email its notification now (a failing mail server leaves it
    unsent, `emailed_at` empty, for the next run; the in-app notification stays). Returns 1, the reminders counted."""
    if notification is not None:
        try:
            send_notification_email(notification.pk)
        except Exception:  # noqa: BLE001 - unsent stays unsent; the next reminder still goes out
            pass
    return 1


@task()
def send_notification_email_task(notification_id: int) -> bool:
    return send_notification_email(notification_id)


def mark_read(*, user, notification: Notification, at=None) -> None:
    """The user has seen one notification (no audit entry: a personal inbox, not programme data)."""
    Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True).update(
        read_at=at or timezone.now()
    )


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def set_email_preferences(*, user, email_kinds: set[str], read: str | None = None) -> None:
    """Email on for the listed types, off for the others (in-app notifications are always kept). Audited.
    `read`: the form's token (`preferences_token`); preferences changed elsewhere after it was read (another tab,
    another device) raise `StaleEdit`."""
    with transaction.atomic():
        locked = user.__class__.objects.select_for_update().get(pk=user.pk)  # __class__: a lazy user too
        before = emailed_kinds(locked)
        if read is not None:
            check_fresh(
                locked,
                [],
                read,
                submitted={"email": sorted(email_kinds)},
                extra=before,
                key=preferences_key(user),
                labels={"email": _("Send by email")},
            )
        for kind in NotificationKind.values:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": kind in email_kinds}
            )
        record_audit(
            actor=user,
            action="notifications.set_email_preferences",
            obj=locked,
            before=before,
            after=emailed_kinds(locked),
        )
