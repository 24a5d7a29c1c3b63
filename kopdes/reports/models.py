"""Periodic camat reports (SE Bupati Paser 500.3/447/KOP/IV/2025: the camat monitor and report periodically): periods
per programme, one report per kecamatan per period in versions, and the reminders sent about them. Notifications:
kopdes/notifications."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.documents.models import IssuedPaper, IssuerKind
from kopdes.formation.models import Programme
from kopdes.periods.models import AbstractPeriod, Timeliness
from kopdes.periods.rules import PeriodKind
from kopdes.regions.models import Region


class ReportPeriod(AbstractPeriod):
    """One reporting period of a programme (the calendar: kopdes.periods; this report's rule: `period_kind` below)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="report_periods")

    class Meta:
        ordering = ["programme", "start"]
        constraints = [models.UniqueConstraint(fields=["programme", "start"], name="one_period_per_start")]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")


# The report letter's kind in the kecamatan's register of outgoing letters (documents.IssuedPaper); its subject is
# `register_subject(report)`: each submitted version is a letter of its own.
REGISTER_KIND = "laporan-camat"
DRAFT_NUMBER = "DRAF — belum bernomor"


def register_subject(report_pk: int) -> str:
    return f"report:{report_pk}"


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
    # the camat's note on the villages' buildings (pre-filled from the building facts, kopdes.buildings)
    building_notes = models.TextField(_("gerai and warehouses, note"), blank=True)
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
    def issued(self) -> IssuedPaper | None:
        """This version's row in the kecamatan's register (taken when submitted), or None (a draft, or a version
        submitted before the register kept the camat's letters)."""
        if self.pk is None:
            return None
        return IssuedPaper.objects.filter(
            issuer__kind=IssuerKind.KECAMATAN,
            issuer__region_id=self.kecamatan_id,
            kind=REGISTER_KIND,
            subject_key=register_subject(self.pk),
        ).first()

    @property
    def number(self) -> str:
        """The letter number printed on the PDF, the same on every download: the kecamatan register's number taken
        when the version was submitted; a draft prints DRAF; a version submitted before the register existed keeps
        the number it was printed with then."""
        issued = self.issued
        if issued is not None:
            return issued.number
        if self.status == ReportStatus.DRAFT:
            return DRAFT_NUMBER
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


# Days after a period's end by which its report is on time, and after which it is marked as submitted after the
# expiry (still accepted). Constants, not programme fields: every regency so far uses the same rule (the Bupati's
# circular asks for the report "paling lambat 3 hari" after the week), and the Programme model belongs to formation.
DUE_DAYS = 3


EXPIRY_DAYS = 14


def period_kind(programme: Programme) -> PeriodKind:
    """The camat report's calendar: the programme's frequency, due DUE_DAYS and late until EXPIRY_DAYS after a
    period's end, reminders two days before the due date and two days after it."""
    return PeriodKind(frequency=programme.reporting_period, due_days=DUE_DAYS, late_days=EXPIRY_DAYS)


def period_bounds(programme: Programme, day: date) -> tuple[date, date]:
    """(start, end) of the programme's period containing `day` (weeks start on Monday, months on the 1st)."""
    return period_kind(programme).bounds(day, programme.start_date)
