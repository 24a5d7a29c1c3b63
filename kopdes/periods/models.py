"""The choices and the abstract period every periodic return builds on (no table of its own)."""

from __future__ import annotations

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


class AbstractPeriod(models.Model):
    """One period of a return. Dates are in the local calendar of the region that reports (no time, no zone).

    Submitted on or before `due`: on time; up to `expires` ("late until"): late; after it: after the expiry — still
    accepted and flagged (DHIS2's expiryDays locks entry; the kind's `lock_days`, when set, is where a return stops
    taking changes)."""

    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("due date"))
    expires = models.DateField(_("expiry date"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
