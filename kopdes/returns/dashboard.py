"""The returns dashboard of a region (the nation, a province, regency or kecamatan): per month over the last year its
revenue, members joined and left, savings collected, units and cooperatives trading, completeness and timeliness;
per child region the latest month's figures; and the cooperatives with no return for the last two months.

Every figure of the returns is read from the kept sums (models.ReturnSum, kopdes/returns/sums.py): one row per month
for the region and one per child, whatever the number of villages. The expected cooperatives (the denominator of
completeness: active ones running an open unit, `selectors.expected_cooperatives`) are counted with one grouped query
over the region's code range. The number of queries does not depend on the number of villages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Substr

from kopdes.cooperatives.models import Outlet, OutletStatus
from kopdes.formation.models import Cooperative
from kopdes.regions.models import Level, Region, subtree_q
from kopdes.returns.models import MonthlyReturn, ReturnPeriod, ReturnStatus, ReturnSum
from kopdes.returns.sums import MEASURES

MONTHS = 12
MISSING_SHOWN = 100


@dataclass
class Figures:
    """A region's (or the nation's) sums for one month. Amounts in whole rupiah."""

    label: str = ""
    code: str = ""
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    cooperatives_trading: int = 0
    units_trading: int = 0
    revenue: int = 0
    members_joined: int = 0
    members_left: int = 0
    simpanan_pokok: int = 0
    simpanan_wajib: int = 0
    simpanan_sukarela: int = 0
    period: ReturnPeriod | None = None

    @property
    def savings(self) -> int:
        return self.simpanan_pokok + self.simpanan_wajib + self.simpanan_sukarela

    @property
    def members_net(self) -> int:
        return self.members_joined - self.members_left

    @property
    def rate(self) -> float:
        """Completeness in percent (0 when nothing is expected)."""
        return 100 * self.submitted / self.expected if self.expected else 0.0

    @property
    def rate_on_time(self) -> float:
        return 100 * self.on_time / self.expected if self.expected else 0.0

    def add(self, row: dict) -> None:
        for m in MEASURES:
            setattr(self, m, getattr(self, m) + (row.get(m) or 0))


@dataclass
class Dashboard:
    region: Region | None
    periods: list[ReturnPeriod]  # oldest first
    months: list[Figures]  # one per period, oldest first
    latest: Figures | None
    children: list[Figures]
    missing: list[Cooperative] = field(default_factory=list)
    missing_count: int = 0
    child_level: str = ""


def child_regions(region: Region | None) -> list[Region]:
    if region is None:
        return list(Region.objects.filter(level=Level.PROVINSI).order_by("code"))
    return list(Region.objects.filter(parent=region).order_by("code"))


def expected(code: str) -> QuerySet[Cooperative]:
    """`selectors.expected_cooperatives`, written for the region's index range: the open unit is looked up per
    cooperative (its outlets' cooperative index), never by reading every open outlet of the nation."""
    running = Outlet.objects.filter(cooperative=OuterRef("pk"), status=OutletStatus.OPEN)
    found = Cooperative.objects.active().filter(Exists(running))
    return found.filter(subtree_q(code, "region_code")) if code else found


def expected_counts(code: str, length: int) -> dict[str, int]:
    """{child code: expected cooperatives} inside `code`, grouped on the first `length` characters of their code."""
    rows = (
        expected(code)
        .annotate(child=Substr("region_code", 1, length))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("child", "n")
    )
    return dict(rows)


def monthly(code: str, today: date) -> tuple[list[ReturnPeriod], list[Figures]]:
    """The months ended by `today` (the last MONTHS, oldest first) and the sums of the region `code` ("" the nation)
    for each: two queries. Counts and amounts only, nothing about a person (the public page shows them)."""
    periods = list(ReturnPeriod.objects.filter(end__lt=today).order_by("-start")[:MONTHS])[::-1]
    by_period = {
        row["period_id"]: row
        for row in ReturnSum.objects.filter(region_code=code, period__in=periods).values("period_id", *MEASURES)
    }
    months = []
    for p in periods:
        f = Figures(period=p)
        f.add(by_period.get(p.pk, {}))
        months.append(f)
    return periods, months


def dashboard(region: Region | None, today: date) -> Dashboard:
    """The figures of `region` (None: the nation) for the months ended by `today`."""
    code = region.code if region is not None else ""
    periods, months = monthly(code, today)
    children = child_regions(region)
    latest = months[-1] if months else None
    rows: list[Figures] = []
    if latest is not None and children:
        length = len(children[0].code)
        sums = {
            row["region_code"]: row
            for row in ReturnSum.objects.filter(
                region_code__in=[c.code for c in children], period=latest.period
            ).values("region_code", *MEASURES)
        }
        per_child = expected_counts(code, length)
        for child in children:
            f = Figures(label=child.name, code=child.code, period=latest.period, expected=per_child.get(child.code, 0))
            f.add(sums.get(child.code, {}))
            rows.append(f)
        latest.expected = sum(per_child.values())
    missing: list[Cooperative] = []
    missing_count = 0
    if len(periods) >= 2:
        sent = MonthlyReturn.objects.filter(
            cooperative=OuterRef("pk"), period__in=periods[-2:], status=ReturnStatus.SUBMITTED
        )
        silent = expected(code).exclude(Exists(sent))
        missing = list(silent.order_by("region_code")[: MISSING_SHOWN + 1])
        # past MISSING_SHOWN the count is not read (a count over a province or the nation reads every cooperative)
        missing_count = len(missing)
        missing = missing[:MISSING_SHOWN]
    child_level = Level(children[0].level).label if children else ""
    return Dashboard(region, periods, months, latest, rows, missing, missing_count, str(child_level))
