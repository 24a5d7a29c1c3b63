"""The Business Assistant's monthly work report to the regency office, per assigned cooperative a checklist.

A BA's tasks (the BA recruitment notice of the national programme office, bakdkmp2026.lptui.co.id, and the BA and PMO
duties published for 2026): monitor the outlet's preparation, help write the work and business plans, help run the
outlet, push the board to update SIMKOPDES, build partnerships; a monthly work report to the regency office, which
the PMO recaps for the provincial office. SIMKOPDES keeps such reports as uploaded files with a month, a status and
notes (`regional_facilitator_reports`: public schema dump of the kop-go-id organisation, Oct 2025, unofficial); here
the report is structured so that the recap can count it. Its periods are the returns' months (kopdes/periods).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.formation.models import Cooperative
from kopdes.periods.models import Timeliness


class BAReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Corrected by a later version")


class Readiness(models.TextChoices):
    READY = "ready", _("Ready")
    PARTLY = "partly", _("Partly ready")
    NOT_READY = "not_ready", _("Not ready")


class BAReport(models.Model):
    """One version of a BA's monthly report. Submitted, it is frozen: a correction is the next version (the one
    before becomes SUPERSEDED); the office (admin dinas of the regency) returns it with a reason or accepts it."""

    period = models.ForeignKey("returns.ReturnPeriod", on_delete=models.PROTECT, related_name="ba_reports")
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ba_reports", verbose_name=_("BA")
    )
    region_code = models.CharField(max_length=20, db_index=True)  # the regency of the BA's role
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=BAReportStatus.choices, default=BAReportStatus.SUBMITTED
    )
    summary = models.TextField(_("summary of the month"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"))
    timeliness = models.CharField(_("timeliness"), max_length=12, choices=Timeliness.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        ordering = ["period", "assistant_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "assistant", "version"], name="one_ba_report_version"),
            models.UniqueConstraint(
                fields=["period", "assistant"], condition=~Q(status="superseded"), name="one_current_ba_report"
            ),
        ]
        verbose_name = _("BA monthly report")
        verbose_name_plural = _("BA monthly reports")

    def __str__(self) -> str:
        return f"{self.assistant} {self.period.start:%m/%Y} v{self.version}"


class BAReportItem(models.Model):
    """The checklist of one assigned cooperative in a BA's report. `building_step` is the building track's last
    verified step when the report was submitted (kopdes/buildings; None: nothing verified), kept as read then;
    `visits` the BA's visits to the cooperative's villages in the month, counted then."""

    report = models.ForeignKey(BAReport, on_delete=models.PROTECT, related_name="items")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    building_step = models.PositiveSmallIntegerField(_("building step"), null=True, blank=True)
    building_ready = models.CharField(_("building ready"), max_length=10, choices=Readiness.choices)
    outlet_ready = models.CharField(_("outlet ready"), max_length=10, choices=Readiness.choices)
    business_plan = models.BooleanField(_("business plan written"), default=False)
    simkopdes_updated = models.BooleanField(_("SIMKOPDES updated"), default=False)
    partnerships = models.TextField(_("partnerships"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    visits = models.PositiveSmallIntegerField(_("visits"), default=0)

    class Meta:
        ordering = ["report", "cooperative__region_code"]
        constraints = [models.UniqueConstraint(fields=["report", "cooperative"], name="one_item_per_cooperative")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.cooperative_id}"
