"""Periodic camat reports (SE Bupati Paser 500.3/447/KOP/IV/2025: the camat monitor and report periodically): periods
per programme, one report per kecamatan per period in versions, and the reminders sent about them. Notifications:
kopdes/notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.formation.models import Programme
from kopdes.periods.models import AbstractPeriod, Timeliness
from kopdes.regions.models import Region


class ReportPeriod(AbstractPeriod):
    """One reporting period of a programme (the calendar: kopdes.periods; this report's rule: services.period_kind)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="report_periods")

    class Meta:
        ordering = ["programme", "start"]
        constraints = [models.UniqueConstraint(fields=["programme", "start"], name="one_period_per_start")]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class CamatReport(models.Model):
    """One version of a kecamatan's report for one period. Once submitted it never changes except for the office's
    decision; a resubmission is the next version."""

    period = models.ForeignKey(ReportPeriod, on_delete=models.PROTECT, related_name="reports")
    kecamatan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kecamatan_code = models.CharField(max_length=20, db_index=True)  # copied for scope filters (index range)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Per village: code, name, stage, stage at the previous report, last evidence date, stalled days. Frozen on submit.
    snapshot = models.JSONField(_("village table"), default=list, blank=True)
    village_obstacles = models.JSONField(_("obstacles per village"), default=dict, blank=True)
    obstacles = models.TextField(_("obstacles (kendala)"), blank=True)
    follow_up = models.TextField(_("follow-up (tindak lanjut)"), blank=True)
    assistance_needed = models.TextField(_("assistance needed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=12, choices=Timeliness.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment of the office"), blank=True)

    class Meta:
        ordering = ["period", "kecamatan_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kecamatan", "version"], name="one_report_version"),
            models.UniqueConstraint(
                fields=["period", "kecamatan"], condition=Q(status="draft"), name="one_draft_report"
            ),
        ]
        verbose_name = _("camat report")
        verbose_name_plural = _("camat reports")

    def __str__(self) -> str:
        return f"{self.kecamatan_code} {self.period} v{self.version}"

    @property
    def number(self) -> str:
        """The letter number printed on the PDF: stable for a version."""
        return f"{self.pk:05d}/LAP-KDKMP/{self.kecamatan_code}/{self.period.start:%Y}/V{self.version}"


class SentReminder(models.Model):
    """One reminder sent: the unique key makes a second run of the scheduler send nothing twice."""

    period = models.ForeignKey(ReportPeriod, on_delete=models.PROTECT, related_name="+")
    kecamatan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # "before" the due date, or "after" it
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "kecamatan", "user", "kind"], name="one_reminder_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_id} {self.kecamatan_id} {self.user_id}"
