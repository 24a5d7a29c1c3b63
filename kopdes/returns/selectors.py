"""Reads of the monthly returns: the current version, last month's figures (the form's pre-fill), the units a
cooperative runs, completeness and timeliness per kecamatan and per BA, and the rows of the export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from kopdes.accounts.models import User
from kopdes.cooperatives.models import Outlet, OutletStatus
from kopdes.formation.models import Cooperative
from kopdes.periods.completeness import Tally
from kopdes.periods.models import Timeliness
from kopdes.periods.rules import window
from kopdes.regions.models import Level, Region, subtree_q
from kopdes.returns.models import (
    AssistantAssignment,
    MonthlyReturn,
    ReturnLine,
    ReturnPeriod,
    ReturnReopening,
    ReturnStatus,
)

# The fields of a return besides its unit lines, in the order of the form and of the export.
FIELDS = [
    "lpg_tubes",
    "rice_kg",
    "fertiliser_kg",
    "members_joined",
    "members_left",
    "simpanan_pokok",
    "simpanan_wajib",
    "simpanan_sukarela",
    "cash_balance",
    "bank_balance",
    "total_assets",
    "profit_loss",
    "problems",
]
# Carried over from last month into an empty form: balances change slowly; flows (revenue, sales, savings) never.
PREFILLED = ["cash_balance", "bank_balance", "total_assets"]


def read_key(cooperative: Cooperative, period: ReturnPeriod) -> str:
    """The stale-save identity of a cooperative's return for a month (the same before and after its first version)."""
    return f"return:cooperative={cooperative.pk}:period={period.pk}"


def units_run(cooperative: Cooperative) -> list[Outlet]:
    """The business units (outlets) the cooperative runs: open ones, in the registry's order."""
    return list(
        Outlet.objects.filter(cooperative=cooperative, status=OutletStatus.OPEN).select_related("unit").order_by("id")
    )


def current_return(cooperative: Cooperative, period: ReturnPeriod) -> MonthlyReturn | None:
    """The latest version that is not superseded (submitted or returned), or None."""
    return (
        MonthlyReturn.objects.filter(cooperative=cooperative, period=period)
        .exclude(status=ReturnStatus.SUPERSEDED)
        .prefetch_related("lines")
        .first()
    )


def previous_period(period: ReturnPeriod) -> ReturnPeriod | None:
    return ReturnPeriod.objects.filter(start__lt=period.start).order_by("-start").first()


def last_month(cooperative: Cooperative, period: ReturnPeriod) -> MonthlyReturn | None:
    """The current return of the month before `period`, if any (for the pre-fill and the ten-times check)."""
    before = previous_period(period)
    return current_return(cooperative, before) if before is not None else None


def reopened_until(cooperative: Cooperative, period: ReturnPeriod) -> date | None:
    latest = ReturnReopening.objects.filter(cooperative=cooperative, period=period).order_by("-reopened_at").first()
    return latest.until if latest is not None else None


def window_of(cooperative: Cooperative, period: ReturnPeriod, today: date) -> str:
    """What the month allows this cooperative on `today` (kopdes.periods.rules.window, with its reopening)."""
    return window(period, today, reopened_until(cooperative, period))


def history(cooperative: Cooperative) -> QuerySet[MonthlyReturn]:
    return (
        MonthlyReturn.objects.filter(cooperative=cooperative)
        .select_related("period", "submitted_by", "returned_by")
        .order_by("-period__start", "-version")
    )


def ended_periods(today: date, count: int = 6) -> list[ReturnPeriod]:
    """The last `count` months that have ended by `today`, newest first."""
    return list(ReturnPeriod.objects.filter(end__lt=today).order_by("-start")[:count])


def assistants_of(regency_code: str) -> QuerySet[User]:
    """Active accounts holding the BA role on the regency."""
    return (
        User.objects.filter(
            is_active=True,
            assignments__role="business_assistant",
            assignments__ended_at__isnull=True,
            assignments__region__code=regency_code,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def open_assignments(regency_code: str) -> QuerySet[AssistantAssignment]:
    return (
        AssistantAssignment.objects.filter(ended_on__isnull=True)
        .filter(subtree_q(regency_code, "region_code"))
        .select_related("assistant", "cooperative")
        .order_by("assistant__full_name", "region_code")
    )


def expected_cooperatives(code: str = "") -> QuerySet[Cooperative]:
    """The cooperatives expected to send a return, in the region `code` ("": the nation): active ones running at
    least one open unit (a cooperative still being formed has nothing to report)."""
    running = Outlet.objects.filter(status=OutletStatus.OPEN).values("cooperative_id")
    found = Cooperative.objects.active().filter(pk__in=running)
    return found.filter(subtree_q(code, "region_code")) if code else found


@dataclass
class Expected:
    cooperative_id: int
    submitted: bool
    on_time: bool


@dataclass
class Row(Tally):
    """One row of the completeness page: a kecamatan or a BA, with its expected returns for the period."""

    label: str
    items: list[Expected] = field(default_factory=list)

    def expected_returns(self):
        return self.items


def completeness(code: str, period: ReturnPeriod) -> tuple[list[Row], list[Row], Row]:
    """(rows per kecamatan, rows per BA, the total) of the region `code` for `period`: a return counts as submitted
    when its current version is submitted (a returned one awaits its correction), on time when that version was."""
    cooperatives = list(expected_cooperatives(code).only("pk", "region_code"))
    current = {
        r.cooperative_id: r
        for r in MonthlyReturn.objects.filter(period=period, status=ReturnStatus.SUBMITTED)
        .filter(subtree_q(code, "region_code"))
        .only("cooperative_id", "timeliness")
    }
    items = {
        c.pk: Expected(
            c.pk,
            submitted=c.pk in current,
            on_time=c.pk in current and current[c.pk].timeliness == Timeliness.ON_TIME,
        )
        for c in cooperatives
    }
    by_kecamatan: dict[str, list[Expected]] = defaultdict(list)
    for c in cooperatives:
        by_kecamatan[".".join(c.region_code.split(".")[:3])].append(items[c.pk])
    names = dict(Region.objects.filter(code__in=by_kecamatan, level=Level.KECAMATAN).values_list("code", "name"))
    kecamatan_rows = [Row(label=names.get(k, k), items=v) for k, v in sorted(by_kecamatan.items())]
    by_ba: dict[str, list[Expected]] = defaultdict(list)
    for a in AssistantAssignment.objects.filter(ended_on__isnull=True, cooperative_id__in=items).select_related(
        "assistant"
    ):
        by_ba[str(a.assistant)].append(items[a.cooperative_id])
    ba_rows = [Row(label=name, items=v) for name, v in sorted(by_ba.items())]
    return kecamatan_rows, ba_rows, Row(label="", items=list(items.values()))


def export_returns(code: str, period: ReturnPeriod) -> QuerySet[MonthlyReturn]:
    """The current submitted returns of the region for the period, with their lines and units."""
    return (
        MonthlyReturn.objects.filter(period=period, status=ReturnStatus.SUBMITTED)
        .filter(subtree_q(code, "region_code"))
        .select_related("cooperative")
        .prefetch_related(Prefetch("lines", ReturnLine.objects.select_related("outlet__unit")))
        .order_by("region_code")
    )
