"""Reads of the buildings: the building of a cooperative (unsaved when nothing was submitted yet), its steps as the
page shows them, the list in scope, the verification queue."""

from __future__ import annotations

import json
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import read_token
from kopdes.buildings import workflow
from kopdes.buildings.models import Building, Channel, ChannelKind, EvidenceFile, InstalmentPlan, Move, Submission
from kopdes.buildings.policy import village_codes
from kopdes.buildings.workflow import Band, ChannelState, Status
from kopdes.clock import local_date, local_today
from kopdes.formation.models import Cooperative, CooperativeVillage, StageMove
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.regions.geometry import contains, distance_m
from kopdes.regions.models import Level, Region, RegionBoundary, subtree_q
from kopdes.regions.timezones import zone_for_code

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def get_cooperative_for_user(user: User, pk: int) -> Cooperative:
    """The cooperative `pk` if `user` sees it, else 404 (the same answer as a missing one)."""
    return get_object_or_404(Cooperative.objects.visible_to(user), pk=pk)


def building_of(cooperative: Cooperative) -> Building:
    """The cooperative's building, or an unsaved one (nothing submitted yet) with the cooperative's region code."""
    try:
        return Building.objects.get(cooperative=cooperative)
    except Building.DoesNotExist:
        return Building(cooperative=cooperative, region_code=cooperative.region_code, updated_at=timezone.now())


def token_key(cooperative_id: int, step: int, channel_id: int | None = None) -> str:
    """The stale-save key of one step's form: stable before the building exists. One key per step, channels
    included: the channels form is opened before a channel is chosen in it, so a key per channel would refuse every
    first save as stale (`channel_id` is accepted and not used)."""
    return f"building:cooperative={cooperative_id}:step={step}"


def step_state(building: Building, step: int, channel_id: int | None = None) -> dict[str, Any]:
    """What a step's form was read against: the status and note of the step's latest submission, whatever its
    channel (both empty when none): a submission on any channel after the form was read makes it stale, so none is
    overwritten unseen (`channel_id` is accepted and not used, as in `token_key`)."""
    latest = None
    if building.pk is not None:
        latest = Submission.objects.filter(building=building, step=step).order_by("-submitted_at", "-id").first()
    return {"status": latest.status if latest else "", "note": latest.note if latest else ""}


def steps(building: Building) -> list[dict[str, Any]]:
    """Each step with its status (`workflow.Status`), its latest submission and the pending one, for the page."""
    submissions: list[Submission] = []
    if building.pk is not None:
        submissions = list(
            building.submissions.select_related("channel", "submitted_by", "decided_by").prefetch_related("files")
        )
    rows = []
    for step in workflow.STEPS:
        mine = [s for s in submissions if s.step == step.number]
        pending = [s for s in mine if s.status == SubmissionStatus.PENDING]
        verified = [s for s in mine if s.status == SubmissionStatus.VERIFIED]
        if step.number in building.not_applicable:
            status = Status.NOT_APPLICABLE
        elif pending:
            status = Status.PENDING
        elif verified:
            status = Status.VERIFIED
        elif mine:
            status = Status.RETURNED
        else:
            status = Status.NOT_STARTED
        rows.append(
            {
                "step": step,
                "status": status,
                "status_label": Status(status).label,
                "submissions": mine,
                "pending": pending,
            }
        )
    return rows


def channels(building: Building) -> list[Channel]:
    if building.pk is None:
        return []
    return list(building.channels.select_related("kind"))


def channel_kinds():
    return ChannelKind.objects.filter(is_active=True)


def buildings_in_scope(user: User):
    """The cooperatives `user` sees, each with its building (None when nothing was submitted), in region order: a
    fixed number of queries whatever the page size."""
    return (
        Cooperative.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("building")
        .order_by("region_code", "id")
    )


def verification_queue(user: User):
    """Submissions waiting for the office, oldest first, in the user's scope."""
    visible = Cooperative.objects.visible_to(user)
    return (
        Submission.objects.filter(status=SubmissionStatus.PENDING, building__cooperative__in=visible)
        .select_related("building__cooperative", "channel", "submitted_by")
        .prefetch_related(Prefetch("files"))
        .order_by("submitted_at", "id")
    )


def get_submission_for_user(user: User, pk: int) -> Submission:
    """A submission of a building whose cooperative `user` sees, else 404."""
    visible = Cooperative.objects.visible_to(user)
    return get_object_or_404(
        Submission.objects.select_related("building__cooperative", "channel", "submitted_by"),
        pk=pk,
        building__cooperative__in=visible,
    )


PLAN_FIELDS = ["funding_source", "regulation", "letter_number", "letter_date", "total_amount", "schedule"]


def plan_key(cooperative_id: int) -> str:
    return f"building:cooperative={cooperative_id}:instalments"


def plan_state(plan: InstalmentPlan | None) -> dict[str, Any]:
    """The plan as its form was read (all empty when there is none yet)."""
    if plan is None:
        return {name: "" for name in PLAN_FIELDS}
    return {
        "funding_source": plan.funding_source,
        "regulation": plan.regulation,
        "letter_number": plan.letter_number,
        "letter_date": plan.letter_date.isoformat() if isinstance(plan.letter_date, date) else str(plan.letter_date),
        "total_amount": str(plan.total_amount),
        "schedule": plan.schedule,
    }


SOURCE_LABELS = {
    "exif": _("The photo's own (EXIF) position"),
    "device": _("The phone's location when sending"),
    "typed": _("The position typed in the form"),
}


def land_position(building: Building) -> tuple[float, float] | None:
    """The land's position: the verified one, else the latest proposal's (waiting or returned), else None."""
    if building.latitude is not None and building.longitude is not None:
        return float(building.latitude), float(building.longitude)
    if building.pk is None:
        return None
    for data in (
        Submission.objects.filter(building=building, step=workflow.LAND_PROPOSED)
        .order_by("-submitted_at", "-id")
        .values_list("data", flat=True)
    ):
        try:
            return float(data["latitude"]), float(data["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def photo_notes(building: Building, files: list[EvidenceFile]) -> dict[int, list[str]]:
    """The warnings the office reads beside each photo, by file id: no position at all; a position outside the
    outline of every village the cooperative serves (the outlines are simplified and unofficial:
    `regions.RegionBoundary`); a position farther than settings.KOPDES_PHOTO_FAR_METRES from the land. Warnings only:
    positions are evidence, never proof, and nothing is refused for them. A village without an outline loaded, or a
    building without a land position, is simply not checked on that count."""
    photos = [f for f in files if f.is_photo]
    if not photos:
        return {}
    codes = village_codes(building.cooperative)
    outlines = [b.geojson for b in RegionBoundary.objects.filter(region__code__in=codes).only("geojson")]
    land = land_position(building)
    far = settings.KOPDES_PHOTO_FAR_METRES
    notes: dict[int, list[str]] = {}
    for photo in photos:
        found = []
        positions = photo.positions()
        if not positions:
            found.append(str(_("No position: neither the photo nor the phone gave one.")))
        for source, lat, lon in positions:
            label = SOURCE_LABELS[source]
            if outlines and not any(contains(outline, lon, lat) for outline in outlines):
                outside = _("%(source)s lies outside the village's outline (simplified, unofficial).")
                found.append(str(outside % {"source": label}))
            if land is not None:
                metres = distance_m(lat, lon, *land)
                if metres > far:
                    found.append(
                        str(
                            _("%(source)s is %(km)s km from the land's position.")
                            % {"source": label, "km": formats.number_format(metres / 1000, 1)}
                        )
                    )
        notes[photo.pk] = found
    return notes


def public_photo_token(evidence: EvidenceFile) -> str:
    """The stale-save token of a photo's public choice."""
    return read_token(evidence, ["is_public"])


def buildings_in_region(user: User, code: str):
    """The active cooperatives `user` sees whose village lies in region `code` (the code itself or below it), each
    with its building (None when nothing was submitted), in region order."""
    return buildings_in_scope(user).filter(Q(region_code=code) | Q(region_code__startswith=f"{code}."))


def verified_bands(building: Building) -> list[Submission]:
    """The construction bands the office verified, oldest first (each with its photo date)."""
    if building.pk is None:
        return []
    return list(
        building.submissions.filter(step=workflow.CONSTRUCTION, status=SubmissionStatus.VERIFIED, not_applicable=False)
        .order_by("evidence_date", "id")
        .only("band", "evidence_date", "decided_at")
    )


# ---- the building dashboard, for any scope -----------------------------------------------------------------------
#
# One row per village served by an active cooperative (its current membership, as the formation dashboard counts),
# with the building of that cooperative: a cooperative serving two villages after a merge shows its one building on
# both rows. Every function runs a fixed number of queries whatever the number of villages (grouped in the database).

STUCK_DAYS = 30  # the default of "stuck at a step for N days"
STUCK_LIST_LIMIT = 100
NO_STEP = 0  # a village whose building has no verified step yet (nothing, or only evidence waiting)
FUNNEL_KEYS = ("villages", "land", "built", "handed_over", "trading")
BAND_KEYS = (None, *Band.values)  # None: no band verified yet


@dataclass
class BoardRow:
    """Counts of one region (a child row, or the whole scope): villages, and how many reached each funnel step."""

    region: Region | None
    villages: int = 0
    land: int = 0  # land proposed and verified (step 1 or beyond)
    built: int = 0  # construction verified at 100%
    handed_over: int = 0  # handover verified
    trading: int = 0  # first sale verified
    stuck: int = 0  # not trading and unchanged for the chosen number of days

    def percent(self, key: str) -> float:
        return 100.0 * getattr(self, key) / self.villages if self.villages else 0.0

    @property
    def percent_trading(self) -> float:
        return self.percent("trading")


@dataclass
class Board:
    """The building dashboard of a region (None: the nation)."""

    region: Region | None
    today: date
    days: int  # "stuck" threshold in days
    total: BoardRow
    bands: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    children: list[BoardRow]
    stuck_count: int
    stuck: list[dict[str, Any]]
    village_rows: list[dict[str, Any]] | None  # a kabupaten or below

    @property
    def funnel(self) -> list[dict[str, Any]]:
        labels = {
            "villages": _("Villages with a cooperative"),
            "land": _("Land proposed"),
            "built": _("Built (100%)"),
            "handed_over": _("Handed over"),
            "trading": _("Trading"),
        }
        return [
            {"key": key, "label": labels[key], "count": getattr(self.total, key), "percent": self.total.percent(key)}
            for key in FUNNEL_KEYS
        ]


def _members(code: str | None):
    members = CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True)
    return members if code is None else members.filter(subtree_q(code, "village_code", include_self=False))


def _counts() -> dict[str, Count]:
    b = "cooperative__building__"
    return {
        "villages": Count("id"),
        "land": Count("id", filter=Q(**{f"{b}step__gte": workflow.LAND_PROPOSED})),
        "built": Count("id", filter=Q(**{f"{b}band": Band.DONE})),
        "handed_over": Count("id", filter=Q(**{f"{b}handover_on__isnull": False})),
        "trading": Count("id", filter=Q(**{f"{b}first_sale_on__isnull": False})),
    }


def last_change_at():
    """When the village's building last moved: its latest verified (or "tidak berlaku") step, else its first
    submission; None when nothing was ever submitted."""
    moves = Move.objects.filter(building=OuterRef("cooperative__building"))
    verified = moves.filter(kind__in=[MoveKind.VERIFIED, MoveKind.NOT_APPLICABLE]).order_by("-at", "-id")
    first = moves.order_by("at", "id")
    return Coalesce(Subquery(verified.values("at")[:1]), Subquery(first.values("at")[:1]))


def stuck_cutoff(code: str, today: date, days: int) -> datetime:
    """The moment before which a last change makes a village "stuck": the start of the local day `days` days before
    `today` plus one (a change on today minus `days`, in the region's own calendar, is `days` days old)."""
    day = today - timedelta(days=days - 1)
    return datetime.combine(day, time(0), tzinfo=zoneinfo.ZoneInfo(zone_for_code(code or "64")))


def _child_width(region: Region | None) -> int | None:
    if region is None:
        return 2
    if region.level >= Level.KECAMATAN:
        return None  # a kecamatan's children are its villages: the village table
    return len(region.code) + 3


def _step_label(step: int | None) -> str:
    return str(_("No step verified yet")) if not step else str(workflow.step(step).label)


def board(region: Region | None, *, days: int = STUCK_DAYS, with_villages: bool | None = None) -> Board:
    """The building dashboard of `region` (None: the nation): the funnel land → built (100%) → handed over →
    trading, villages per construction band and per step, the per-child table (provinces, kabupaten, kecamatan), the
    villages not trading whose building has not moved for `days` days or more (counted in the region's own calendar,
    `kopdes.clock`) and, for a kabupaten or below, the village rows. Eight queries whatever the number of villages."""
    code = region.code if region is not None else None
    today = local_today(code or "64")
    members = _members(code)
    total = BoardRow(region, **members.aggregate(**_counts()))
    band_counts = dict(members.values_list("cooperative__building__band").annotate(n=Count("id")).order_by())
    bands = [
        {"band": band, "label": Band(band).label if band else _("Not started"), "count": band_counts.get(band, 0)}
        for band in BAND_KEYS
    ]
    step_counts = dict(members.values_list("cooperative__building__step").annotate(n=Count("id")).order_by())
    steps = [
        {"step": number, "label": _step_label(number), "count": step_counts.get(number or None, 0)}
        for number in [NO_STEP, *workflow.BY_NUMBER]
    ]
    cutoff = stuck_cutoff(code or "64", today, days)
    stuck_q = members.filter(cooperative__building__first_sale_on__isnull=True).annotate(last=last_change_at())
    stuck_q = stuck_q.filter(last__lt=cutoff)
    children: list[BoardRow] = []
    width = _child_width(region)
    if width:
        child_regions = (
            Region.objects.filter(level=Level.PROVINSI) if region is None else region.children.all()
        ).active()
        rows = {c.code: BoardRow(c) for c in child_regions.order_by("code")}
        per = members.annotate(p=Substr("village_code", 1, width)).values("p").annotate(**_counts())
        for found in per:
            row = rows.get(found.pop("p"))
            if row is not None:
                for key, n in found.items():
                    setattr(row, key, n)
        stuck_per = stuck_q.annotate(p=Substr("village_code", 1, width)).values("p").annotate(n=Count("id"))
        for found in stuck_per:
            if found["p"] in rows:
                rows[found["p"]].stuck = found["n"]
        children = list(rows.values())
    stuck_count = stuck_q.count()
    total.stuck = stuck_count
    stuck = [
        {**_village(m), "days": (today - local_date(m.village_code, m.last)).days, "last": m.last}
        for m in stuck_q.select_related("village", "village__parent", "cooperative", "cooperative__building").order_by(
            "last", "village_code"
        )[:STUCK_LIST_LIMIT]
    ]
    show = with_villages if with_villages is not None else (region is not None and region.level >= Level.KABUPATEN)
    return Board(
        region=region,
        today=today,
        days=days,
        total=total,
        bands=bands,
        steps=steps,
        children=children,
        stuck_count=stuck_count,
        stuck=stuck,
        village_rows=village_rows(code, today) if show and code is not None else None,
    )


def _village(m: CooperativeVillage) -> dict[str, Any]:
    building = getattr(m.cooperative, "building", None)
    step = building.step if building is not None else None
    return {
        "code": m.village_code,
        "village": m.village,
        "kecamatan": m.village.parent,
        "cooperative": m.cooperative,
        "building": building,
        "step": step or NO_STEP,
        "step_label": _step_label(step),
        "band_label": Band(building.band).label if building is not None and building.band else "",
    }


def village_rows(code: str, today: date | None = None) -> list[dict[str, Any]]:
    """Every village under `code` with its building's facts, the number of active channels, whether evidence waits
    and the days since the building last moved (None: nothing submitted). One query."""
    today = today or local_today(code)
    active = (
        Channel.objects.filter(building=OuterRef("cooperative__building"), state=ChannelState.ACTIVE)
        .values("building")
        .annotate(n=Count("id"))
        .values("n")
    )
    waiting = Submission.objects.filter(building=OuterRef("cooperative__building"), status=SubmissionStatus.PENDING)
    members = (
        _members(code)
        .select_related("village", "village__parent", "cooperative", "cooperative__building")
        .annotate(last=last_change_at(), channels=Subquery(active), waiting=Exists(waiting))
        .order_by("village_code")
    )
    rows = []
    for m in members:
        row = _village(m)
        row["channels"] = m.channels or 0
        row["waiting"] = m.waiting
        row["last"] = m.last
        row["days"] = (today - local_date(m.village_code, m.last)).days if m.last else None
        rows.append(row)
    return rows


def data_version() -> str:
    """What the cached dashboard depends on: the newest move of a building and of a cooperative (every verified
    step writes a buildings Move; a merge or a new cooperative writes a formation StageMove). Two indexed MAX(id)."""
    moves = Move.objects.aggregate(v=Max("id"))["v"] or 0
    stages = StageMove.objects.aggregate(v=Max("id"))["v"] or 0
    return f"{moves}.{stages}"


def cached_board(region: Region | None, *, days: int = STUCK_DAYS) -> Board:
    """`board`, cached under the data version, the region, today's date (days count with the calendar), `days` and
    the language (labels are translated into the rows). The view checks the scope before asking; nothing personal is
    in the board beyond what any viewer of the region sees."""
    code = region.code if region is not None else "*"
    key = ":".join(
        ["kopdes:buildings-board", code, data_version(), local_today(code if region else "64").isoformat(), str(days)]
    )
    key += ":" + (get_language() or "")
    found = cache.get(key)
    if found is None:
        found = board(region, days=days)
        cache.set(key, found, 600)
    return found


# the map: one colour per step (0: nothing verified), sequential oranges to greens for trading
STEP_COLOURS = ("#f7f7f7", "#fee8c8", "#fdbb84", "#fc8d59", "#d7301f", "#74c476", "#31a354", "#006d2c")
PERCENT_BANDS = ((0, "#f1eef6"), (20, "#bdc9e1"), (40, "#74a9cf"), (60, "#2b8cbe"), (80, "#045a8d"))


def map_legend() -> dict[str, Any]:
    """The legend in the shape the shared map script reads (`stages`: number, label, colour; `percent` bands)."""
    return {
        "stages": [
            {"number": n, "label": _step_label(n), "colour": STEP_COLOURS[n]} for n in [NO_STEP, *workflow.BY_NUMBER]
        ],
        "percent": [{"from": low, "colour": colour} for low, colour in PERCENT_BANDS],
    }


def _percent_colour(percent: float) -> str:
    colour = PERCENT_BANDS[0][1]
    for low, band in PERCENT_BANDS:
        if percent >= low:
            colour = band
    return colour


def map_layers(region: Region, children: list[BoardRow]) -> dict[str, Any]:
    """Two GeoJSON layers in the shared map's shape: the child regions above village level coloured by % trading,
    and (for a kabupaten or below) the villages coloured by their building's step. Three queries."""
    out: dict[str, Any] = {
        "areas": {"type": "FeatureCollection", "features": []},
        "villages": {"type": "FeatureCollection", "features": []},
        "legend": map_legend(),
    }
    by_code = {row.region.code: row for row in children if row.region is not None}
    if by_code:
        areas = RegionBoundary.objects.filter(region__code__in=list(by_code)).select_related("region")
        for b in areas.only("simplified", "region__code", "region__name", "region__kind", "region__level"):
            row = by_code[b.region.code]
            out["areas"]["features"].append(
                {
                    "type": "Feature",
                    "geometry": json.loads(b.simplified),
                    "properties": {
                        "code": b.region.code,
                        "name": b.region.display_name,
                        "percent": round(row.percent_trading, 1),
                        "colour": _percent_colour(row.percent_trading),
                    },
                }
            )
    if region.level >= Level.KABUPATEN:
        within = subtree_q(region.code, "region__code", include_self=False)
        shapes = dict(
            RegionBoundary.objects.filter(within, region__level=Level.DESA).values_list("region_id", "simplified")
        )
        if shapes:
            found = _members(region.code).values_list(
                "village_id",
                "village_code",
                "village__name",
                "village__kind",
                "cooperative_id",
                "cooperative__building__step",
            )
            for village_id, vcode, name, kind, cooperative_id, step in found:
                shape = shapes.get(village_id)
                if shape is None:
                    continue
                number = step or NO_STEP
                word = "Kelurahan" if kind == "kelurahan" else "Desa"
                out["villages"]["features"].append(
                    {
                        "type": "Feature",
                        "geometry": json.loads(shape),
                        "properties": {
                            "code": vcode,
                            "name": f"{word} {name}",
                            "stage": number,
                            "stage_label": _step_label(number),
                            "colour": STEP_COLOURS[number],
                            "url": reverse("buildings:detail", args=[cooperative_id]),
                        },
                    }
                )
    return out


def report_facts(codes: list[str], at: datetime | None = None) -> dict[str, dict[str, Any]]:
    """The building facts of each village in `codes` for the camat's report (JSON-safe, frozen with its village
    table): the verified step and band, the handover and first-sale dates, active channels, evidence waiting and the
    days since the building last moved, counted to the local date of `at` (now when None). The facts are the
    building's as they stand when the table is taken. One query."""
    if not codes:
        return {}
    active = (
        Channel.objects.filter(building=OuterRef("cooperative__building"), state=ChannelState.ACTIVE)
        .values("building")
        .annotate(n=Count("id"))
        .values("n")
    )
    waiting = Submission.objects.filter(building=OuterRef("cooperative__building"), status=SubmissionStatus.PENDING)
    members = (
        CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True, village_code__in=codes)
        .select_related("cooperative__building")
        .annotate(last=last_change_at(), channels=Subquery(active), waiting=Exists(waiting))
    )
    facts = {}
    for m in members:
        b = getattr(m.cooperative, "building", None)
        today = local_date(m.village_code, at)
        facts[m.village_code] = {
            "step": (b.step if b is not None else None) or NO_STEP,
            "band": b.band if b is not None else None,
            "handover_on": b.handover_on.isoformat() if b is not None and b.handover_on else None,
            "first_sale_on": b.first_sale_on.isoformat() if b is not None and b.first_sale_on else None,
            "channels": m.channels or 0,
            "waiting": bool(m.waiting),
            "days": (today - local_date(m.village_code, m.last)).days if m.last else None,
        }
    return facts
