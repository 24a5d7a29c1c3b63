"""Dashboard reads: target vs realisation, funnel, per-child table and village list of the formation record; trend
per week, projection, stalled villages, map colours.

Each function runs a fixed number of queries whatever the number of villages (grouped in the database).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from kopdes.clock import local_today
from kopdes.clock.per import day_end
from kopdes.clock.per import read_per as _read_per
from kopdes.clock.per import zone_of as _zone
from kopdes.formation import workflow
from kopdes.formation.models import (
    Cooperative,
    CooperativeVillage,
    Programme,
    ProgrammeTarget,
    StageCount,
    StageCountDay,
    StageMove,
    StageSubmission,
    move_time,
)
from kopdes.formation.selectors import STAGE_SETTING, current_target, programme_for, stage_at
from kopdes.formation.workflow import MoveKind, Pathway, SubmissionStatus
from kopdes.regions.models import Kind, Level, Region, subtree_q
from kopdes.regions.timezones import zone_for_code
from kopdes.regions.village_counts import village_counts

PACE_WEEKS = 4  # the "current pace" is the mean of the last four weeks
STALLED_LIST_LIMIT = 50
KIND_CHOICES = ((Kind.DESA, Kind.DESA.label), (Kind.KELURAHAN, Kind.KELURAHAN.label))


def last_move_at(cooperative_ref: str, before: datetime | None = None) -> Subquery:
    """When the cooperative `OuterRef(cooperative_ref)` last moved (created, verified, stepped back), before
    `before` when given."""
    moves = StageMove.objects.filter(cooperative=OuterRef(cooperative_ref), kind__in=STAGE_SETTING).annotate(
        when=move_time()
    )
    if before is not None:
        moves = moves.filter(when__lt=before)
    return Subquery(moves.order_by("-when", "-id").values("when")[:1])


def pending_q(before: datetime | None, prefix: str = "") -> Q:
    """Submissions waiting for verification now (`before` None) or at the moment `before` (submitted before it and
    decided, if at all, after it)."""
    if before is None:
        return Q(**{f"{prefix}status": SubmissionStatus.PENDING})
    return Q(**{f"{prefix}submitted_at__lt": before}) & (
        Q(**{f"{prefix}status": SubmissionStatus.PENDING}) | Q(**{f"{prefix}decided_at__gte": before})
    )


def dashboard_programme(region: Region) -> Programme | None:
    """The active programme of `region` (formation's `programme_for`), else the nearest closed one (inactive) whose
    final result the dashboard shows."""
    found = programme_for(region)
    if found is not None:
        return found
    codes = [*region.ancestor_codes(), region.code]
    closed = Programme.objects.filter(is_active=False, region__code__in=codes).select_related("region")
    return max(closed, key=lambda p: (len(p.region.code), p.start_date), default=None)


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
    on: date | None = None  # the past date the figures are "per" (None: today)
    met_on: date | None = None  # the date the target was met, when it was (by `on`)

    @property
    def day(self) -> date:
        """The date the figures are "per": `on`, else today."""
        return self.on or self.today

    @property
    def dated(self) -> bool:
        return self.on is not None

    @property
    def closed(self) -> bool:
        """The programme is over (inactive): its figures are the final result."""
        return self.programme is not None and not self.programme.is_active

    @property
    def target_met(self) -> bool:
        return self.met_on is not None

    @property
    def met_late_days(self) -> int:
        """Days the target was met after its deadline (0: on time, or not met)."""
        if self.met_on is None or self.target is None:
            return 0
        return max((self.met_on - self.target.deadline).days, 0)

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
        return (self.target.deadline - self.day).days if self.target else None

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


def filtered_members(code: str | None, *, pathway: str = "", kind: str = "", before: datetime | None = None):
    """Current memberships of active cooperatives under `code`, optionally of one pathway and one kind of village.
    A case whose pathway is not decided yet counts as pendirian baru.

    With `before` (a moment): the memberships as they were then, annotated `st`, the cooperative's stage at that
    moment (records not created yet are left out). A membership ended by a merge after `before` still counts; a
    village's later membership does not while an earlier one was still open (`joined_at` is when the row was
    written, not when a back-dated merge happened, so it is not read). The pathway is today's (no history)."""
    if before is None:
        members = CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True)
    else:
        earlier_open = CooperativeVillage.objects.filter(
            village_id=OuterRef("village_id"), id__lt=OuterRef("id"), left_at__gte=before
        )
        members = (
            CooperativeVillage.objects.filter(
                Q(left_at__isnull=True, cooperative__is_active=True) | Q(left_at__gte=before)
            )
            .exclude(Exists(earlier_open))
            .annotate(st=stage_at("cooperative_id", before))
            .filter(st__isnull=False)
        )
    members = members.filter(_within(code, "village_code"))
    if pathway:
        q = Q(cooperative__pathway=pathway)
        if pathway == workflow.Pathway.PENDIRIAN_BARU:
            q |= Q(cooperative__pathway="")
        members = members.filter(q)
    if kind:
        members = members.filter(village__kind=kind)
    return members


def kept_counts(codes: list[str], on: date | None, zone: str) -> dict[str, dict[int, tuple[int, int, int, int]]]:
    """The kept stage counts (formation.counts) of the regions `codes` ("" the nation): per region and stage, the
    cooperatives, villages, waiting cooperatives and waiting villages — today's, or with `on` as they were at the end
    of that day, local in `zone` (the sum of the daily deltas up to it). One query over (regions × stages) rows today,
    (regions × stages × days with a change) on a date; the villages below do not count."""
    found: dict[str, dict[int, list[int]]] = {code: {} for code in codes}
    measures = ("cooperatives", "villages", "pending", "pending_villages")
    rows: Iterable
    if on is None:
        rows = StageCount.objects.filter(region_code__in=codes).values_list("region_code", "stage", *measures)
    else:
        rows = (
            StageCountDay.objects.filter(region_code__in=codes, zone=zone, day__lte=on)
            .values("region_code", "stage")
            .annotate(*[Sum(m) for m in measures])
            .values_list("region_code", "stage", *[f"{m}__sum" for m in measures])
        )
    for code, stage, *vector in rows:
        found[code][stage] = vector
    return {code: {s: tuple(v) for s, v in per.items() if any(v)} for code, per in found.items()}  # type: ignore[misc]


def dashboard(
    region: Region | None,
    *,
    with_villages: bool | None = None,
    pathway: str = "",
    kind: str = "",
    on: date | None = None,
) -> Dashboard:
    """Target vs realisation, funnel, per-child table and (for a kabupaten or below) the village list.
    `region` None is the nation; `pathway` and `kind` (desa/kelurahan) filter the villages counted; `on` a past
    date shows the figures as they were at the end of that day (from the stage history, StageMove `move_time`) —
    the number of villages and the pathway are today's (regions and registry fields keep no history). A date not
    before today is today. The target is the one in force on that date; for a closed (inactive) programme the
    figures are its final result. A fixed number of queries whatever the number of villages.

    Unfiltered, the figures come from the kept counts (formation.counts, regions.RegionVillageCount): the cost grows
    with the children shown, not with the villages or moves below. Filtered (pathway, desa/kelurahan), the kept
    counts have no such columns and the figures are grouped from the memberships and the stage history, cached
    under the region's version (docs/decisions/0008-dashboards-read-kept-counts.md)."""
    programme = dashboard_programme(region) if region is not None else None
    code = region.code if region is not None else None
    level = region.level if region is not None else 0
    today = local_today(code or "64")
    on = on if on is not None and on < today else None
    day = on or today
    before = day_end(code, on) if on is not None else None
    filtered = bool(pathway or kind)
    target = current_target(programme, day) if programme and programme.region.code == code and not filtered else None
    formed_stage = programme.formed_stage if programme else workflow.DEFAULT_FORMED_STAGE
    if not filtered:
        return _kept_dashboard(region, programme, target, today, on, with_villages)
    members = filtered_members(code, pathway=pathway, kind=kind, before=before)
    cooperatives = Cooperative.objects.filter(id__in=members.values("cooperative_id"))
    if before is None:
        cooperatives = cooperatives.active().annotate(st=F("stage"))
        members = members.annotate(st=F("cooperative__stage"))
    else:
        cooperatives = cooperatives.annotate(st=stage_at("pk", before))
    stage_counts = dict(cooperatives.values_list("st").annotate(n=Count("id")).order_by())
    n_cooperatives = sum(stage_counts.values())
    formed = sum(n for stage, n in stage_counts.items() if stage >= formed_stage)
    pending = StageSubmission.objects.filter(
        pending_q(before), cooperative_id__in=members.values("cooperative_id")
    ).count()
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
    n_villages = village_counts([code or ""], kind)[code or ""] if level < Level.DESA else 1
    children = _children(region, kind, members, formed_stage, before) if level < Level.DESA else []
    villages_covered = members.filter(st__gte=formed_stage).count()

    show_villages = with_villages if with_villages is not None else level >= Level.KABUPATEN
    village_rows = (
        village_list(code, members=members if filtered or before else None, before=before)
        if show_villages and code is not None
        else None
    )
    met_on = None  # filtered: no target applies
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
        on=on,
        met_on=met_on,
    )


def _funnel(stage_counts: dict[int, int]) -> list[dict]:
    total = sum(stage_counts.values())
    rows = []
    for s in workflow.STAGES:
        reached = sum(n for st, n in stage_counts.items() if st >= s.number)
        rows.append(
            {
                "stage": s,
                "count": stage_counts.get(s.number, 0),
                "reached": reached,
                "percent": 100.0 * reached / total if total else 0.0,
            }
        )
    return rows


def _kept_dashboard(region, programme, target, today: date, on: date | None, with_villages) -> Dashboard:
    """`dashboard` without filters, from the kept stage counts (formation.counts): a fixed number of queries over
    rows per child region and stage, whatever the number of villages and moves below."""
    code = region.code if region is not None else None
    level = region.level if region is not None else 0
    zone = zone_for_code(code) if code else settings.TIME_ZONE
    before = day_end(code, on) if on is not None else None
    formed_stage = programme.formed_stage if programme else workflow.DEFAULT_FORMED_STAGE
    width = _child_width(region) if level < Level.KECAMATAN else None
    if width:
        if region is None:
            child_regions = list(Region.objects.filter(level=Level.PROVINSI).active().order_by("code"))
        else:
            child_regions = list(region.children.active().order_by("code"))
    else:
        child_regions = []
    own = code or ""
    figures = kept_counts([own, *[c.code for c in child_regions]], on, zone)
    mine = figures[own]
    stage_counts = {s: v[0] for s, v in mine.items() if v[0]}
    formed = sum(n for stage, n in stage_counts.items() if stage >= formed_stage)
    n_per_region = village_counts([own, *[c.code for c in child_regions]]) if level < Level.DESA else {}
    n_villages = n_per_region[own] if level < Level.DESA else 1
    children = []
    if child_regions:
        for child in child_regions:
            row = ChildRow(child, n_per_region[child.code], [0] * len(workflow.STAGES))
            for stage, vector in figures[child.code].items():
                row.per_stage[stage] += vector[1]
                row.formed += vector[1] if stage >= formed_stage else 0
                row.pending += vector[3]
            children.append(row)
    show_villages = with_villages if with_villages is not None else level >= Level.KABUPATEN
    village_rows = None
    if show_villages and code is not None:
        members = filtered_members(code, before=before) if before is not None else None
        village_rows = village_list(code, members=members, before=before)
    met_on = None
    if target is not None and target.count and formed >= target.count:
        met_on = _met_on(code, formed_stage, target.count, on or today)
    return Dashboard(
        region=region,
        programme=programme,
        target=target,
        today=today,
        villages=n_villages,
        cooperatives=sum(stage_counts.values()),
        formed=formed,
        villages_covered=sum(v[1] for s, v in mine.items() if s >= formed_stage),
        pending=sum(v[2] for v in mine.values()),
        funnel=_funnel(stage_counts),
        children=children,
        village_rows=village_rows,
        formed_stage=formed_stage,
        on=on,
        met_on=met_on,
    )


def formed_series(code: str | None, formed_stage: int, until: date) -> list[tuple[date, int]]:
    """The net change, per local day up to `until`, of the active cooperatives under `code` at or past the formed
    stage (the kept daily counts, formation.counts: a formation adds one on its day, a step back below the formed
    stage or a merge that ends a formed cooperative takes one off on its day). Days with no net change are left out.
    One query over (days with a change × stages) rows of one region; the villages and moves below do not count
    (docs/decisions/0008-dashboards-read-kept-counts.md)."""
    zone = zone_for_code(code) if code else settings.TIME_ZONE
    rows = (
        StageCountDay.objects.filter(region_code=code or "", zone=zone, stage__gte=formed_stage, day__lte=until)
        .values("day")
        .annotate(n=Sum("cooperatives"))
        .values_list("day", "n")
        .order_by("day")
    )
    return [(day, n) for day, n in rows if n]


def _met_on(code: str | None, formed_stage: int, count: int, on: date) -> date | None:
    """The first local day (by `on`) at whose end `count` cooperatives stood at or past the formed stage: the day
    the target was met (the kept daily counts, `formed_series`). One query."""
    total = 0
    for day, n in formed_series(code, formed_stage, on):
        total += n
        if total >= count:
            return day
    return None


def _children(region: Region | None, kind: str, members, formed_stage: int, before: datetime | None) -> list[ChildRow]:
    """The per-child rows (provinces, kabupaten, kecamatan) of `region` above a kecamatan: villages (of `kind` when
    given, from the kept village counts), villages per stage (`st`), formed and waiting. Four queries."""
    level = region.level if region is not None else 0
    width = _child_width(region) if level < Level.KECAMATAN else None
    if not width:
        return []
    if region is None:
        child_regions = list(Region.objects.filter(level=Level.PROVINSI).active().order_by("code"))
    else:
        child_regions = list(region.children.active().order_by("code"))
    n_per_child = village_counts([c.code for c in child_regions], kind)
    per = (
        members.annotate(p=Substr("village_code", 1, width))
        .values("p", "st")
        .annotate(n=Count("id"))
        .values_list("p", "st", "n")
    )
    pending_per = dict(
        members.filter(pending_q(before, "cooperative__submissions__"))
        .annotate(p=Substr("village_code", 1, width))
        .values("p")
        .annotate(n=Count("id"))
        .values_list("p", "n")
    )
    rows = {c.code: ChildRow(c, n_per_child[c.code], [0] * len(workflow.STAGES)) for c in child_regions}
    for prefix, stage, n in per:
        row = rows.get(prefix)
        if row:
            row.per_stage[stage] += n
            if stage >= formed_stage:
                row.formed += n
    for prefix, n in pending_per.items():
        if prefix in rows:
            rows[prefix].pending = n
    return list(rows.values())


def village_list(code: str, members=None, before: datetime | None = None) -> list[dict]:
    """Every village under `code` with its cooperative's stage, pending flag, last update and by whom (one query).
    With `before` (and `members` from `filtered_members(..., before=before)`): the stage, waiting flag and last
    stage move as they were at that moment; "by whom" is then left out (None)."""
    pending = StageSubmission.objects.filter(pending_q(before), cooperative=OuterRef("cooperative_id"))
    if members is None:
        members = CooperativeVillage.objects.filter(left_at__isnull=True).filter(subtree_q(code, "village_code"))
    rows = members.select_related("village", "village__parent", "cooperative", "cooperative__updated_by").annotate(
        is_pending=Exists(pending)
    )
    if before is not None:
        rows = rows.annotate(last=last_move_at("cooperative_id", before))
    return [
        {
            "village": m.village,
            "kecamatan": m.village.parent,
            "cooperative": m.cooperative,
            "stage": workflow.stage(m.st if before is not None else m.cooperative.stage),
            "pending": m.is_pending,
            "updated_at": m.last if before is not None else m.cooperative.updated_at,
            "updated_by": None if before is not None else m.cooperative.updated_by,
        }
        for m in rows.order_by("village_code")
    ]


@dataclass
class Filters:
    """The dashboard's query string: `jalur` (pathway), `jenis` (desa/kelurahan) and `per` (a past date the figures
    are shown as of; `error` says, in the user's language, why a `per` given was not used)."""

    pathway: str = ""
    kind: str = ""
    on: date | None = None
    error: str = ""

    @classmethod
    def from_query(cls, params, today: date | None = None) -> Filters:
        """Unknown values are ignored; `per` is read as people write dates (2025-05-11, 11/05/2025, 11 Mei 2025) and
        must not be after `today` (the region's local date); today itself is no past date (None)."""
        pathway = params.get("jalur", "")
        kind = params.get("jenis", "")
        on, error = _read_per(params.get("per", ""), today)
        return cls(
            pathway=pathway if pathway in Pathway.values else "",
            kind=kind if kind in (Kind.DESA, Kind.KELURAHAN) else "",
            on=on,
            error=error,
        )

    @property
    def active(self) -> bool:
        """Villages are filtered (the target then applies to none of the figures); a date alone filters nothing."""
        return bool(self.pathway or self.kind)

    def query(self) -> str:
        parts = [f"jalur={self.pathway}"] if self.pathway else []
        parts += [f"jenis={self.kind}"] if self.kind else []
        parts += [f"per={self.on.isoformat()}"] if self.on else []
        return "&".join(parts)

    def undated_query(self) -> str:
        """The query string of the same filters as of today."""
        return Filters(self.pathway, self.kind).query()


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


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def formed_moves(code: str | None, formed_stage: int, filters: Filters, before: datetime | None = None):
    """Verified moves that brought a cooperative under `code` from below the formed stage to it or beyond; with
    `before`, those that happened before that moment, of the cooperatives under `code` then."""
    members = filtered_members(code, pathway=filters.pathway, kind=filters.kind, before=before)
    moves = StageMove.objects.filter(
        kind=MoveKind.VERIFIED,
        to_stage__gte=formed_stage,
        from_stage__lt=formed_stage,
        cooperative_id__in=members.values("cooperative_id"),
    )
    if before is not None:
        moves = moves.alias(happened=move_time()).filter(happened__lt=before)
    return moves


def trend(
    code: str | None,
    formed_stage: int,
    filters: Filters,
    today: date,
    start: date | None = None,
    deadline: date | None = None,
    before: datetime | None = None,
) -> list[Week]:
    """Per week (Monday, local calendar) up to this week — or, long after the programme went quiet, up to four weeks
    past the later of the last change and the deadline: `cumulative`, the cooperatives at or past the formed stage at
    the week's end, and `formed`, its net change in the week (negative when more stepped back below the formed stage
    or were merged away than were formed). With `before` (the end of a past `today`): as it was then.

    Unfiltered: from the kept daily counts (`formed_series`), one query whatever the number of villages and moves.
    Filtered (pathway, desa/kelurahan): the kept counts have no such columns, so the verified moves into the formed
    stage of the filtered villages are read from the history and counted per week
    (docs/decisions/0008-dashboards-read-kept-counts.md)."""
    zone = _zone(code)
    per_week: dict[date, int] = {}
    if filters.active:
        moves = formed_moves(code, formed_stage, filters, before).annotate(when=move_time())
        for at in moves.values_list("when", flat=True).iterator(chunk_size=5000):
            week = _monday(at.astimezone(zone).date())
            per_week[week] = per_week.get(week, 0) + 1
    else:
        until = (before - timedelta(microseconds=1)).astimezone(zone).date() if before is not None else today
        for day, n in formed_series(code, formed_stage, until):
            week = _monday(day)
            per_week[week] = per_week.get(week, 0) + n
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


def stalled(
    code: str | None, formed_stage: int, filters: Filters, days: int, before: datetime | None = None
) -> tuple[int, list[dict]]:
    """Villages whose cooperative is below the programme's goal (the formed stage) and has had no verified progress
    (nor was created) in the last `days` days: their number, and the longest-waiting ones (at most
    STALLED_LIST_LIMIT). With `before` (the end of a past day): as it was then, days counted up to that moment.
    Villages at or beyond the goal are never stalled. Two queries."""
    now = before or timezone.now()
    cutoff = now - timedelta(days=days)
    members = filtered_members(code, pathway=filters.pathway, kind=filters.kind, before=before)
    if before is None:
        members = members.annotate(
            st=F("cooperative__stage"),
            last=Coalesce(F("cooperative__last_moved_at"), F("cooperative__updated_at")),  # kept, indexed
        )
    else:
        members = members.annotate(last=last_move_at("cooperative_id", before))
    rows = members.filter(st__lt=formed_stage, last__lt=cutoff)
    count = rows.count()
    listed = rows.select_related("village", "village__parent", "cooperative").order_by("last", "village_code")
    return count, [
        {
            "village": m.village,
            "kecamatan": m.village.parent,
            "cooperative": m.cooperative,
            "stage": m.st,
            "last": m.last,
            "days": (now - m.last).days,
        }
        for m in listed[:STALLED_LIST_LIMIT]
    ]


def overview(
    region: Region | None,
    filters: Filters | None = None,
    *,
    with_villages: bool | None = None,
    on: date | None = None,
) -> Overview:
    """The dashboard with its trend, projection and stalled list; `on` a past date: all of them as they were at the
    end of that day (see `dashboard`)."""
    filters = filters or Filters()
    on = on if on is not None else filters.on
    d = dashboard(region, pathway=filters.pathway, kind=filters.kind, with_villages=with_villages, on=on)
    code = region.code if region is not None else None
    before = day_end(code, d.on) if d.on is not None else None
    start = d.programme.start_date if d.programme else None
    weeks = trend(code, d.formed_stage, filters, d.day, start, d.target.deadline if d.target else None, before)
    days = settings.KOPDES_STALLED_DAYS
    stalled_count, stalled_rows = stalled(code, d.formed_stage, filters, days, before)
    return Overview(
        d=d,
        filters=filters,
        weeks=weeks,
        projection=projection(weeks, d.formed, d.target, d.day),
        stalled_count=stalled_count,
        stalled=stalled_rows,
        stalled_days=days,
    )


def cached_overview(region: Region | None, filters: Filters | None = None) -> Overview:
    """`overview`, cached under a key holding the region's version (formation's RegionVersion, bumped in the same
    transaction as every move below the region: a move elsewhere leaves this page warm), today's date (stalled days
    and the trend's last week move with the calendar) and the filters, with the past date `filters.on` the figures are
    "per". Nothing personal is keyed or shared across scopes: the key is the region, the filters and the dates, and
    the view checked the scope before asking."""
    from django.core.cache import cache

    from kopdes.dashboards.public import region_version

    filters = filters or Filters()
    key = ":".join(
        [
            "kopdes:overview",
            region.code if region is not None else "*",
            filters.query(),
            str(region_version(region.code if region is not None else "")),
            local_today(region.code if region is not None else "64").isoformat(),  # as `overview` dates
            f"per={filters.on.isoformat() if filters.on else ''}",  # the date shown (also in `query`, kept explicit)
            str(settings.KOPDES_STALLED_DAYS),
        ]
    )
    found = cache.get(key)
    if found is None:
        found = overview(region, filters)
        cache.set(key, found, 600)
    return found
