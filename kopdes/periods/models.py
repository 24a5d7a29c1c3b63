"""The choices and the abstract period every periodic return builds on (no table of its own)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    AFTER_EXPIRY = "after_expiry", _("After the expiry date")


class Window(models.TextChoices):
    """What a period allows on a given day (`kopdes.periods.rules.window`)."""

    NOT_ENDED = "not_ended", _("Not yet ended")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    AFTER_EXPIRY = "after_expiry", _("After the expiry date")
    LOCKED = "locked", _("Locked")


class AbstractPeriod(models.Model):
    """One period of a return. Dates are in the local calendar of the region that reports (no time, no zone).

    Submitted on or before `due`: on time; up to `expires` ("late until"): late; after it: after the expiry — still
    accepted and flagged; from `locked_on` (when set; DHIS2's expiryDays) the period takes no submission unless the
    office reopened it for one submitter (`AbstractReopening`)."""

    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("due date"))
    expires = models.DateField(_("expiry date"))
    locked_on = models.DateField(_("locked from"), null=True, blank=True)  # None: never locked

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class AbstractReopening(models.Model):
    """The office reopened a locked period for one submitter until a day, with a reason (the concrete model adds the
    period and the submitter). The latest row counts; earlier ones are history."""

    until = models.DateField(_("reopened until"))
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("reopened at"))

    class Meta:
        abstract = True
