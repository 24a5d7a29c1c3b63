"""Dashboard reads beyond the formation snapshot: trend per week, projection, stalled villages, map colours.

Each function runs a fixed number of queries whatever the number of villages (grouped in the database).
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kopdes.formation import selectors as formation
from kopdes.formation.models import StageMove
from kopdes.formation.workflow import MoveKind, Pathway
from kopdes.regions.models import Kind, Region
from kopdes.regions.timezones import zone_for_code

PACE_WEEKS = 4  # the "current pace" is the mean of the last four weeks
STALLED_LIST_LIMIT = 50
KIND_CHOICES = ((Kind.DESA, Kind.DESA.label), (Kind.KELURAHAN, Kind.KELURAHAN.label))


@dataclass
class Filters:
    pathway: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, params) -> Filters:
        pathway = params.get("jalur", "")
        kind = params.get("jenis", "")
        return cls(
            pathway=pathway if pathway in Pathway.values else "",
            kind=kind if kind in (Kind.DESA, Kind.KELURAHAN) else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.pathway or self.kind)

    def query(self) -> str:
        parts = [f"jalur={self.pathway}"] if self.pathway else []
        parts += [f"jenis={self.kind}"] if self.kind else []
        return "&".join(parts)


@dataclass
class Week:
    start: date
    formed: int
    cumulative: int


@dataclass
class Projection:
    pace_per_week: float
    reached_on: date | None  # the week the target was reached, when it was
    projected_on: date | None  # at the current pace, when it is not reached yet
    before_deadline: bool | None


@dataclass
class Overview:
    d: formation.Dashboard
    filters: Filters
    weeks: list[Week] = field(default_factory=list)
    projection: Projection | None = None
    stalled_count: int = 0
    stalled: list[dict] = field(default_factory=list)
    stalled_days: int = 0

    @property
    def chart_data(self) -> dict:
        target = self.d.target.count if self.d.target else None
        threshold = (
            math.ceil(target * self.d.threshold / 100) if target is not None and self.d.threshold is not None else None
        )
        return {
            "labels": [w.start.isoformat() for w in self.weeks],
            "weekly": [w.formed for w in self.weeks],
            "cumulative": [w.cumulative for w in self.weeks],
            "target": target,
            "threshold": threshold,
            "funnel_labels": [f"{row['stage'].number}" for row in self.d.funnel],
            "funnel": [row["reached"] for row in self.d.funnel],
        }


def _zone(code: str | None) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone_for_code(code) if code else settings.TIME_ZONE)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def formed_moves(code: str | None, formed_stage: int, filters: Filters):
    """Verified moves that brought a cooperative under `code` from below the formed stage to it or beyond."""
    members = formation.filtered_members(code, pathway=filters.pathway, kind=filters.kind)
    return StageMove.objects.filter(
        kind=MoveKind.VERIFIED,
        to_stage__gte=formed_stage,
        from_stage__lt=formed_stage,
        cooperative_id__in=members.values("cooperative_id"),
    )


def trend(
    code: str | None,
    formed_stage: int,
    filters: Filters,
    today: date,
    start: date | None = None,
    deadline: date | None = None,
) -> list[Week]:
    """Cooperatives reaching the formed stage per week (Monday, local calendar) and cumulative, up to this week —
    or, long after the programme went quiet, up to four weeks past the later of the last formation and the deadline.
    One query: the move times come back as a single column and are bucketed here (a week has no portable SQL
    truncation across SQLite and PostgreSQL with a time zone)."""
    zone = _zone(code)
    per_week: dict[date, int] = {}
    for at in formed_moves(code, formed_stage, filters).values_list("at", flat=True).iterator(chunk_size=5000):
        week = _monday(at.astimezone(zone).date())
        per_week[week] = per_week.get(week, 0) + 1
    if not per_week and start is None:
        return []
    first = _monday(min([*per_week, *([start] if start else [])]))
    quiet_end = _monday(max([*per_week, *([deadline] if deadline else []), first])) + timedelta(days=28)
    last = max([_monday(min(today, quiet_end)), *per_week])
    weeks, total, week = [], 0, first
    while week <= last:
        total += per_week.get(week, 0)
        weeks.append(Week(week, per_week.get(week, 0), total))
        week += timedelta(days=7)
    return weeks


def projection(weeks: list[Week], formed: int, target, today: date) -> Projection | None:
    """When the target is (or was) reached at the pace of the last PACE_WEEKS weeks; None without a target."""
    if target is None:
        return None
    recent = [w for w in weeks if w.start > _monday(today) - timedelta(days=7 * PACE_WEEKS)]
    pace = sum(w.formed for w in recent) / PACE_WEEKS
    if formed >= target.count:
        reached = next((w.start for w in weeks if w.cumulative >= target.count), None)
        return Projection(pace, reached, None, reached is not None and reached <= target.deadline)
    if pace <= 0:
        return Projection(0.0, None, None, False)
    projected = today + timedelta(days=math.ceil(7 * (target.count - formed) / pace))
    return Projection(pace, None, projected, projected <= target.deadline)


def stalled(code: str | None, formed_stage: int, filters: Filters, days: int) -> tuple[int, list[dict]]:
    """Villages whose cooperative is below the formed stage and has had no verified progress (nor was created) in
    the last `days` days: their number, and the longest-waiting ones (at most STALLED_LIST_LIMIT). Two queries."""
    cutoff = timezone.now() - timedelta(days=days)
    last = (
        StageMove.objects.filter(
            cooperative=OuterRef("cooperative_id"), kind__in=[MoveKind.VERIFIED, MoveKind.CREATED, MoveKind.STEP_BACK]
        )
        .order_by("-at")
        .values("at")[:1]
    )
    rows = (
        formation.filtered_members(code, pathway=filters.pathway, kind=filters.kind)
        .filter(cooperative__stage__lt=formed_stage)
        .annotate(last=Coalesce(Subquery(last), F("cooperative__updated_at")))
        .filter(last__lt=cutoff)
    )
    count = rows.count()
    listed = rows.select_related("village", "village__parent", "cooperative").order_by("last", "village_code")
    now = timezone.now()
    return count, [
        {
            "village": m.village,
            "kecamatan": m.village.parent,
            "cooperative": m.cooperative,
            "stage": m.cooperative.stage,
            "last": m.last,
            "days": (now - m.last).days,
        }
        for m in listed[:STALLED_LIST_LIMIT]
    ]


def overview(region: Region | None, filters: Filters | None = None, *, with_villages: bool | None = None) -> Overview:
    filters = filters or Filters()
    d = formation.dashboard(region, pathway=filters.pathway, kind=filters.kind, with_villages=with_villages)
    code = region.code if region is not None else None
    start = d.programme.start_date if d.programme else None
    weeks = trend(code, d.formed_stage, filters, d.today, start, d.target.deadline if d.target else None)
    days = settings.KOPDES_STALLED_DAYS
    stalled_count, stalled_rows = stalled(code, d.formed_stage, filters, days)
    return Overview(
        d=d,
        filters=filters,
        weeks=weeks,
        projection=projection(weeks, d.formed, d.target, d.today),
        stalled_count=stalled_count,
        stalled=stalled_rows,
        stalled_days=days,
    )


def cached_overview(region: Region | None, filters: Filters | None = None) -> Overview:
    """`overview`, cached under a key holding the data version (the newest StageMove id: every stage transition of
    the formation services writes one, so any change of state makes a new key) and today's date (stalled days and the
    trend's last week move with the calendar). Nothing personal is keyed or shared across scopes: the key is the
    region and the filters, and the view checked the scope before asking."""
    from django.core.cache import cache

    from kopdes.dashboards.public import data_version

    filters = filters or Filters()
    key = ":".join(
        [
            "kopdes:overview",
            region.code if region is not None else "*",
            filters.query(),
            str(data_version()),
            timezone.now().date().isoformat(),
            str(settings.KOPDES_STALLED_DAYS),
        ]
    )
    found = cache.get(key)
    if found is None:
        found = overview(region, filters)
        cache.set(key, found, 600)
    return found
