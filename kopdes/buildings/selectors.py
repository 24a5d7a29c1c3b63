"""Reads of the buildings: the building of a cooperative (unsaved when nothing was submitted yet), its steps as the
page shows them, the list in scope, the verification queue."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import read_token
from kopdes.buildings import workflow
from kopdes.buildings.models import Building, Channel, ChannelKind, EvidenceFile, InstalmentPlan, Submission
from kopdes.buildings.policy import village_codes
from kopdes.buildings.workflow import Status
from kopdes.formation.models import Cooperative
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.geometry import contains, distance_m
from kopdes.regions.models import RegionBoundary

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
    """The stale-save key of one step's form (a channel's own for step 6): stable before the building exists."""
    return f"building:cooperative={cooperative_id}:step={step}:channel={channel_id or ''}"


def step_state(building: Building, step: int, channel_id: int | None = None) -> dict[str, Any]:
    """What a step's form was read against: its latest submission's status and note (both empty when none)."""
    latest = None
    if building.pk is not None:
        latest = (
            Submission.objects.filter(building=building, step=step, channel_id=channel_id)
            .order_by("-submitted_at", "-id")
            .first()
        )
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
