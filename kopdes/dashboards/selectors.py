"""Dashboard reads: target vs realisation, funnel, per-child table and village list of the formation record; trend
per week, projection, stalled villages, map colours.

Each function runs a fixed number of queries whatever the number of villages (grouped in the database).
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from kopdes.clock import local_today
from kopdes.formation import workflow
from kopdes.formation.models import (
    Cooperative,
    CooperativeVillage,
    Programme,
    ProgrammeTarget,
    StageMove,
    StageSubmission,
    move_time,
)
from kopdes.formation.selectors import current_target, programme_for
from kopdes.formation.workflow import MoveKind, Pathway, SubmissionStatus
from kopdes.regions.models import Kind, Level, Region, subtree_q
from kopdes.regions.timezones import zone_for_code

PACE_WEEKS = 4  # the "current pace" is the mean of the last four weeks
STALLED_LIST_LIMIT = 50
KIND_CHOICES = ((Kind.DESA, Kind.DESA.label), (Kind.KELURAHAN, Kind.KELURAHAN.label))


@dataclass
class ChildRow:
    region: Region
    villages: int = 0
    per_stage: list[int] = field(default_factory=list)
    formed: int = 0
    pending: int = 0

    @property
    def percent_formed(self) -> float:
        return 100.0 * self.formed / self.villages if self.villages else 0.0


@dataclass
class Dashboard:
    region: Region | None
    programme: Programme | None
    target: ProgrammeTarget | None
    today: date
    villages: int
    cooperatives: int
    formed: int  # cooperatives at or beyond the "formed" stage
    villages_covered: int  # villages served by a formed cooperative
    pending: int
    funnel: list[dict]
    children: list[ChildRow]
    village_rows: list[dict] | None
    formed_stage: int

    @property
    def percent_of_target(self) -> float | None:
        if not self.target or not self.target.count:
            return None
        return 100.0 * self.formed / self.target.count

    @property
    def threshold(self) -> float | None:
        return float(self.programme.threshold_percent) if self.programme else None

    @property
    def days_to_deadline(self) -> int | None:
        return (self.target.deadline - self.today).days if self.target else None

    @property
    def days_past_deadline(self) -> int | None:
        days = self.days_to_deadline
        return -days if days is not None and days < 0 else None

    @property
    def formed_stage_label(self):
        return workflow.stage(self.formed_stage).label

    @property
    def threshold_met(self) -> bool:
        pct = self.percent_of_target
        return pct is not None and self.threshold is not None and pct >= self.threshold


def _child_width(region: Region | None) -> int:
    if region is None:
        return 2
    return len(region.code) + (5 if region.level == Level.KECAMATAN else 3)


def _within(code: str | None, field: str = "code") -> Q:
    """The subtree of `code` (None: the nation, no filter)."""
    return Q() if code is None else subtree_q(code, field)


def filtered_members(code: str | None, *, pathway: str = "", kind: str = ""):
    """Current memberships of active cooperatives under `code`, optionally of one pathway and one kind of village.
    A case whose pathway is not decided yet counts as pendirian baru."""
    members = CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True).filter(
        _within(code, "village_code")
    )
    if pathway:
        q = Q(cooperative__pathway=pathway)
        if pathway == workflow.Pathway.PENDIRIAN_BARU:
            q |= Q(cooperative__pathway="")
        members = members.filter(q)
    if kind:
        members = members.filter(village__kind=kind)
    return members


def dashboard(
    region: Region | None, *, with_villages: bool | None = None, pathway: str = "", kind: str = ""
) -> Dashboard:
    """Target vs realisation, funnel, per-child table and (for a kabupaten or below) the village list.
    `region` None is the nation; `pathway` and `kind` (desa/kelurahan) filter the villages counted."""
    programme = programme_for(region) if region is not None else None
    code = region.code if region is not None else None
    level = region.level if region is not None else 0
    today = local_today(code or "64")
    filtered = bool(pathway or kind)
    target = current_target(programme, today) if programme and programme.region.code == code and not filtered else None
    formed_stage = programme.formed_stage if programme else workflow.DEFAULT_FORMED_STAGE
    members = filtered_members(code, pathway=pathway, kind=kind)
    cooperatives = Cooperative.objects.active().filter(id__in=members.values("cooperative_id"))
    stage_counts = dict(cooperatives.values_list("stage").annotate(n=Count("id")).order_by())
    n_cooperatives = sum(stage_counts.values())
    formed = sum(n for stage, n in stage_counts.items() if stage >= formed_stage)
    pending = StageSubmission.objects.filter(status=SubmissionStatus.PENDING, cooperative__in=cooperatives).count()
    funnel = [
        {
            "stage": s,
            "count": stage_counts.get(s.number, 0),
            "reached": sum(n for st, n in stage_counts.items() if st >= s.number),
            "percent": 100.0 * sum(n for st, n in stage_counts.items() if st >= s.number) / n_cooperatives
            if n_cooperatives
            else 0.0,
        }
        for s in workflow.STAGES
    ]
    villages = Region.objects.filter(_within(code)).villages().active()
    if code is not None:
        villages = villages.exclude(code=code)
    if kind:
        villages = villages.filter(kind=kind)
    n_villages = villages.count() if level < Level.DESA else 1

    children: list[ChildRow] = []
    if level < Level.DESA:
        width = _child_width(region) if level < Level.KECAMATAN else None
        if not width:
            child_regions = []
        elif region is None:
            child_regions = list(Region.objects.filter(level=Level.PROVINSI).active().order_by("code"))
        else:
            child_regions = list(region.children.active().order_by("code"))
        if width:
            village_counts = dict(
                villages.annotate(p=Substr("code", 1, width)).values("p").annotate(n=Count("id")).values_list("p", "n")
            )
            per = (
                members.annotate(p=Substr("village_code", 1, width))
                .values("p", "cooperative__stage")
                .annotate(n=Count("id"))
                .values_list("p", "cooperative__stage", "n")
            )
            pending_per = dict(
                members.filter(cooperative__submissions__status=SubmissionStatus.PENDING)
                .annotate(p=Substr("village_code", 1, width))
                .values("p")
                .annotate(n=Count("id"))
                .values_list("p", "n")
            )
            rows = {
                c.code: ChildRow(c, village_counts.get(c.code, 0), [0] * len(workflow.STAGES)) for c in child_regions
            }
            for prefix, stage, n in per:
                row = rows.get(prefix)
                if row:
                    row.per_stage[stage] += n
                    if stage >= formed_stage:
                        row.formed += n
            for prefix, n in pending_per.items():
                if prefix in rows:
                    rows[prefix].pending = n
            children = list(rows.values())
    villages_covered = members.filter(cooperative__stage__gte=formed_stage).count()

    show_villages = with_villages if with_villages is not None else level >= Level.KABUPATEN
    village_rows = (
        village_list(code, members=members if filtered else None) if show_villages and code is not None else None
    )
    return Dashboard(
        region=region,
        programme=programme,
        target=target,
        today=today,
        villages=n_villages,
        cooperatives=n_cooperatives,
        formed=formed,
        villages_covered=villages_covered,
        pending=pending,
        funnel=funnel,
        children=children,
        village_rows=village_rows,
        formed_stage=formed_stage,
    )


def village_list(code: str, members=None) -> list[dict]:
    """Every village under `code` with its cooperative's stage, pending flag, last update and by whom (one query)."""
    pending = StageSubmission.objects.filter(cooperative=OuterRef("cooperative_id"), status=SubmissionStatus.PENDING)
    if members is None:
        members = CooperativeVillage.objects.filter(left_at__isnull=True).filter(subtree_q(code, "village_code"))
    rows = (
        members.select_related("village", "village__parent", "cooperative", "cooperative__updated_by")
        .annotate(is_pending=Exists(pending))
        .order_by("village_code")
    )
    return [
        {
            "village": m.village,
            "kecamatan": m.village.parent,
            "cooperative": m.cooperative,
            "stage": workflow.stage(m.cooperative.stage),
            "pending": m.is_pending,
            "updated_at": m.cooperative.updated_at,
            "updated_by": m.cooperative.updated_by,
        }
        for m in rows
    ]


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
    d: Dashboard
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
    members = filtered_members(code, pathway=filters.pathway, kind=filters.kind)
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
    moves = formed_moves(code, formed_stage, filters).annotate(when=move_time())
    for at in moves.values_list("when", flat=True).iterator(chunk_size=5000):
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
        .annotate(when=move_time())
        .order_by("-when")
        .values("when")[:1]
    )
    rows = (
        filtered_members(code, pathway=filters.pathway, kind=filters.kind)
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
    d = dashboard(region, pathway=filters.pathway, kind=filters.kind, with_villages=with_villages)
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
            local_today(region.code if region is not None else "64").isoformat(),  # as `overview` dates
            str(settings.KOPDES_STALLED_DAYS),
        ]
    )
    found = cache.get(key)
    if found is None:
        found = overview(region, filters)
        cache.set(key, found, 600)
    return found
