"""In-app notifications and each user's email choice per type. Written only through `services.notify`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """The types of notification, each with its own email switch (NotificationPreference)."""

    QUESTION_ASKED = "question_asked", _("New question to answer")
    QUESTION_ANSWERED = "question_answered", _("Question answered")
    EVIDENCE_RETURNED = "evidence_returned", _("Evidence returned by the office")
    REPORT_DUE = "report_due", _("Report due")
    REPORT_RETURNED = "report_returned", _("Report returned")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")


class Notification(models.Model):
    """An in-app message for one user (reminders now; other apps may add theirs)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("type"), max_length=30, blank=True)  # NotificationKind
    # What the notification is about (e.g. "question:12:answer:30"): sent once per user and key, however often asked.
    key = models.CharField(max_length=200, blank=True)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # when its email went out (sent once per notification); empty: not sent (yet, muted, or no address)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="one_notification_per_user_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        # The table keeps its first name (the model moved here from reports without copying a row).
        db_table = "reports_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text[:60]


class NotificationPreference(models.Model):
    """A user's choice per notification type: email off (in-app notifications are always kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=30)  # NotificationKind
    email = models.BooleanField(_("email"), default=True)

    class Meta:
        db_table = "reports_notificationpreference"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"
