"""Notification reads: a user's own notifications, the unread count of the bell, the email preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from kopdes.audit.stale import read_token
from kopdes.notifications.models import Notification, NotificationKind, NotificationPreference

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def notifications_of(user: User, *, limit: int) -> list[dict]:
    """The user's newest `limit` notifications as plain rows (text, link, when, read, type label)."""
    labels = dict(NotificationKind.choices)
    return [
        {
            "pk": n.pk,
            "text": n.text,
            "url": n.url,
            "created_at": n.created_at,
            "read_at": n.read_at,
            "kind": labels.get(n.kind, ""),
        }
        for n in Notification.objects.filter(user=user)[:limit]
    ]


def get_notification_for_user(user: User, pk: int) -> Notification:
    """One of the user's own notifications; another user's answers 404, like a missing one."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def wants_email(user: User, kind: str) -> bool:
    if not user.email or not user.is_active:
        return False
    return not NotificationPreference.objects.filter(user=user, kind=kind, email=False).exists()


def preferences_of(user: User) -> list[dict]:
    muted = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return [{"kind": value, "label": label, "email": value not in muted} for value, label in NotificationKind.choices]


def emailed_kinds(user) -> dict:
    return {"email": sorted(k["kind"] for k in preferences_of(user) if k["email"])}


def preferences_key(user) -> str:
    return f"notifications.preferences:user={user.pk}"


def preferences_token(user) -> str:
    """The read token (`audit.stale`) of the user's email preferences as stored now."""
    return read_token(user, [], extra=emailed_kinds(user), key=preferences_key(user))
