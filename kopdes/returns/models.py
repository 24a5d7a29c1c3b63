"""Monthly business returns of a cooperative (its trading, members, savings and balances per month) and the Business
Assistants' assignments to cooperatives.

The shape follows what the ministry's SIMKOPDES keeps per cooperative and month (`cooperative_business_transactions`:
month, business unit type, business volume / revenue, total assets, profit and loss — public schema dump of the
kop-go-id organisation, Oct 2025, unofficial) widened by the indicators the ministry publishes (members, simpanan
pokok and wajib) and the agency channels (LPG 3 kg, SPHP rice, fertiliser). The calendar: kopdes/periods.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdes.cooperatives.models import Outlet
from kopdes.formation.models import Cooperative
from kopdes.periods.models import AbstractPeriod, AbstractReopening, Frequency, Timeliness
from kopdes.periods.rules import PeriodKind

# The return of a month is due DUE_DAYS after its last day, taken as late up to LATE_DAYS after it, and closed from
# LOCK_DAYS after it (the office may reopen it for one cooperative, with a reason). No Permenkop or circular fixes a
# deadline for KDKMP periodic returns (none was found); these are the office's working defaults, the BA's monthly
# work report being due to the regency office in the first days of the next month.
DUE_DAYS = 10
LATE_DAYS = 20
LOCK_DAYS = 45
KIND = PeriodKind(frequency=Frequency.MONTHLY, due_days=DUE_DAYS, late_days=LATE_DAYS, lock_days=LOCK_DAYS)


class AssistantAssignment(models.Model):
    """A Business Assistant works on a cooperative from `started_on` to `ended_on` (None: still). Rows are never
    deleted: an unassignment sets `ended_on`; a new assignment is a new row."""

    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ba_assignments", verbose_name=_("BA")
    )
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="ba_assignments", verbose_name=_("cooperative")
    )
    region_code = models.CharField(max_length=20, db_index=True)  # the cooperative's, for scope filters
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assistant_id", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assistant", "cooperative"], condition=Q(ended_on__isnull=True), name="one_open_ba_assignment"
            )
        ]
        verbose_name = _("BA assignment")
        verbose_name_plural = _("BA assignments")

    def __str__(self) -> str:
        return f"{self.assistant_id} → {self.cooperative_id} ({self.started_on}–{self.ended_on or ''})"


class ReturnPeriod(AbstractPeriod):
    """One month of the national calendar of returns (the same for every cooperative)."""

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["start"], name="one_return_period_per_start")]
        verbose_name = _("return period")
        verbose_name_plural = _("return periods")


class ReturnReopening(AbstractReopening):
    """The office reopened a locked month for one cooperative."""

    period = models.ForeignKey(ReturnPeriod, on_delete=models.PROTECT, related_name="reopenings")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["period", "cooperative", "-reopened_at"]

    def __str__(self) -> str:
        return f"{self.period} {self.cooperative_id} → {self.until}"


class ReturnStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    SUPERSEDED = "superseded", _("Corrected by a later version")


class MonthlyReturn(models.Model):
    """One version of a cooperative's return for a month. Submitted, it is frozen: a correction is the next version
    (the earlier one becomes SUPERSEDED); the office or the BA may return one with a reason. Amounts in whole rupiah;
    volumes in tubes (LPG 3 kg) and kilograms (SPHP rice, fertiliser)."""

    period = models.ForeignKey(ReturnPeriod, on_delete=models.PROTECT, related_name="returns")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="monthly_returns")
    region_code = models.CharField(max_length=20, db_index=True)  # the cooperative's village, for scope filters
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.SUBMITTED)

    revenue_total = models.BigIntegerField(_("revenue (all units)"), default=0)  # the sum of the lines
    lpg_tubes = models.PositiveIntegerField(_("LPG 3 kg sold (tubes)"), default=0)
    rice_kg = models.PositiveIntegerField(_("SPHP rice sold (kg)"), default=0)
    fertiliser_kg = models.PositiveIntegerField(_("fertiliser sold (kg)"), default=0)
    members_joined = models.PositiveIntegerField(_("members joined"), default=0)
    members_left = models.PositiveIntegerField(_("members left"), default=0)
    simpanan_pokok = models.BigIntegerField(_("simpanan pokok collected"), default=0)
    simpanan_wajib = models.BigIntegerField(_("simpanan wajib collected"), default=0)
    simpanan_sukarela = models.BigIntegerField(_("simpanan sukarela collected"), default=0)
    cash_balance = models.BigIntegerField(_("cash balance"), default=0)
    bank_balance = models.BigIntegerField(_("bank balance"), default=0)
    total_assets = models.BigIntegerField(_("total assets"), default=0)
    profit_loss = models.BigIntegerField(_("profit or loss"), default=0)  # negative: a loss
    problems = models.TextField(_("problems met"), blank=True)

    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"))  # the village's calendar date of `submitted_at`
    timeliness = models.CharField(_("timeliness"), max_length=12, choices=Timeliness.choices)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        ordering = ["period", "region_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "cooperative", "version"], name="one_return_version"),
            models.UniqueConstraint(
                fields=["period", "cooperative"], condition=~Q(status="superseded"), name="one_current_return"
            ),
        ]
        indexes = [models.Index(fields=["period", "region_code"], name="return_period_region")]
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.period.start:%m/%Y} v{self.version}"

    @property
    def cost_total(self) -> int:
        return sum(line.cost_of_goods for line in self.lines.all())


class ReturnLine(models.Model):
    """Revenue and cost of goods sold of one business unit (outlet) in a return."""

    monthly_return = models.ForeignKey(MonthlyReturn, on_delete=models.PROTECT, related_name="lines")
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="+")
    revenue = models.BigIntegerField(_("revenue"), default=0)
    cost_of_goods = models.BigIntegerField(_("cost of goods sold"), default=0)

    class Meta:
        ordering = ["monthly_return", "outlet_id"]
        constraints = [models.UniqueConstraint(fields=["monthly_return", "outlet"], name="one_line_per_outlet")]

    def __str__(self) -> str:
        return f"{self.monthly_return_id} {self.outlet_id}"


class SentReturnReminder(models.Model):
    """One reminder sent about a cooperative's return: a second run of the scheduler sends nothing twice."""

    period = models.ForeignKey(ReturnPeriod, on_delete=models.PROTECT, related_name="+")
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)  # "before" the due date, or "after" it
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "cooperative", "user", "kind"], name="one_return_reminder_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_id} {self.cooperative_id} {self.user_id}"


class ReturnSum(models.Model):
    """The figures of the submitted returns of one region for one month, kept in the same transaction as every
    submission and every return sent back (kopdes/returns/sums.py), so a dashboard reads a handful of rows whatever
    the number of villages. `region_code`: "" for the nation, else a province, regency, kecamatan or village code.
    Amounts in whole rupiah; `units_trading`: business units (outlets) with revenue in the month;
    `cooperatives_trading`: cooperatives with any revenue."""

    region_code = models.CharField(max_length=20, blank=True)
    period = models.ForeignKey(ReturnPeriod, on_delete=models.PROTECT, related_name="+")
    submitted = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    cooperatives_trading = models.IntegerField(default=0)
    units_trading = models.IntegerField(default=0)
    revenue = models.BigIntegerField(default=0)
    members_joined = models.IntegerField(default=0)
    members_left = models.IntegerField(default=0)
    simpanan_pokok = models.BigIntegerField(default=0)
    simpanan_wajib = models.BigIntegerField(default=0)
    simpanan_sukarela = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["region_code", "period"]
        constraints = [models.UniqueConstraint(fields=["region_code", "period"], name="one_return_sum_per_key")]

    def __str__(self) -> str:
        return f"{self.region_code or '*'} {self.period_id}"


from kopdes.returns.models_ba import BAReport, BAReportItem, BAReportStatus, Readiness  # noqa: E402,F401  (registered)
