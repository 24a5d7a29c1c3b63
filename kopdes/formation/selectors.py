"""Formation reads for dashboards and lists: plain data, a fixed number of queries whatever the number of villages."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count
from django.http import Http404
from django_stubs_ext import WithAnnotations

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.formation import workflow
from kopdes.formation.models import Cooperative, CooperativeVillage, Programme, ProgrammeTarget, StageSubmission
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.models import Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def programme_for(region: Region) -> Programme | None:
    """The active programme whose region contains `region` (the nearest one), else None."""
    codes = [*region.ancestor_codes(), region.code]
    programmes = Programme.objects.filter(is_active=True, region__code__in=codes).select_related("region")
    return max(programmes, key=lambda p: len(p.region.code), default=None)


def current_target(programme: Programme, on: date) -> ProgrammeTarget | None:
    targets = programme.targets.filter(effective_from__lte=on).order_by("-effective_from", "-id")
    return targets.first() or programme.targets.order_by("effective_from", "id").first()


class FileCount(TypedDict):
    n_files: int  # the submission's files


def verification_queue(user: User) -> list[WithAnnotations[StageSubmission, FileCount]]:
    """Submissions waiting for the office within the user's verify scope, oldest first."""
    scoped = CooperativeVillage.objects.filter(left_at__isnull=True).filter(scope_q(user, "village_code", Cap.VERIFY))
    return list(
        StageSubmission.objects.filter(status=SubmissionStatus.PENDING, cooperative__in=scoped.values("cooperative_id"))
        .select_related("cooperative", "submitted_by")
        .annotate(n_files=Count("files"))
        .order_by("submitted_at", "id")
    )


def get_cooperative_for_user(user: User, pk: int) -> Cooperative:
    """A cooperative the user may see, else 404 (the same answer as a missing one)."""
    try:
        return Cooperative.objects.visible_to(user).select_related("programme", "updated_by", "merged_into").get(pk=pk)
    except (Cooperative.DoesNotExist, ValueError) as missing:
        raise Http404 from missing


def case_detail(cooperative: Cooperative) -> dict:
    memberships = list(
        cooperative.memberships.select_related("village", "village__parent").order_by("left_at", "village_code")
    )
    submissions = list(cooperative.submissions.select_related("submitted_by", "decided_by").prefetch_related("files"))
    moves = list(cooperative.moves.select_related("actor", "submission"))
    return {
        "memberships": [m for m in memberships if m.left_at is None],
        "former_memberships": [m for m in memberships if m.left_at is not None],
        "submissions": submissions,
        "pending": next((s for s in submissions if s.status == SubmissionStatus.PENDING), None),
        "moves": moves,
        "stage": workflow.stage(cooperative.stage),
        "stages": workflow.STAGES,
        "evidence": [
            (
                s,
                getattr(cooperative, s.date_field) if s.date_field else None,
                getattr(cooperative, s.number_field) if s.number_field else "",
            )
            for s in workflow.STAGES[1:]
        ],
    }


def merge_candidates(user: User, cooperative: Cooperative):
    """Other active records of the same kecamatan and programme that the user may verify."""
    kecamatan = cooperative.region_code.rsplit(".", 1)[0]
    scoped = CooperativeVillage.objects.filter(left_at__isnull=True).filter(scope_q(user, "village_code", Cap.VERIFY))
    return (
        Cooperative.objects.active()
        .filter(programme=cooperative.programme, id__in=scoped.values("cooperative_id"))
        .in_region(kecamatan)
        .exclude(pk=cooperative.pk)
        .exclude(submissions__status=SubmissionStatus.PENDING)
        .order_by("region_code")
    )
