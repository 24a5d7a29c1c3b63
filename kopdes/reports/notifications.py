"""In-app notifications: one entry point, `notify`, for every app (issue 7 §4).

Idempotent: a notification is created once per (user, key), however often the same event is reported (a scheduler
run twice, a retried task). Email delivery and per-type muting build on this module.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdes.reports.models import Notification


class NotificationKind(models.TextChoices):
    QUESTION_ANSWERED = "question_answered", _("Question answered")
    EVIDENCE_RETURNED = "evidence_returned", _("Evidence returned by the office")
    REPORT_DUE = "report_due", _("Report due")
    REPORT_RETURNED = "report_returned", _("Report returned")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")


def notify(*, user, kind: str, key: str, text: str, url: str = "") -> Notification | None:
    """Create the in-app notification for `user` unless one with this `key` exists. Returns it, or None when it was
    already sent. `text` is final (already in the user's language)."""
    if not key:
        raise ValueError("a notification needs a key (what it is about) to be sent only once")
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, kind=kind, key=key, text=text[:500], url=url, created_at=timezone.now()
            )
    except IntegrityError:  # a concurrent run created it a moment ago
        return None
