"""Formation reads for dashboards and lists: plain data, a fixed number of queries whatever the number of villages."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import scope_q
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
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.regions.models import Region, subtree_q

if TYPE_CHECKING:
    from kopdes.accounts.models import User


STAGE_SETTING = [MoveKind.CREATED, MoveKind.VERIFIED, MoveKind.STEP_BACK]  # the moves that set a case's stage


def stage_at(cooperative_ref: str, before: datetime) -> Subquery:
    """The stage of the cooperative `OuterRef(cooperative_ref)` at the moment `before`: the `to_stage` of its last
    stage-setting move (created, verified, stepped back) that happened (`move_time`) before it; NULL when none did.
    The creation never outranks another move: a stage imported with a date before the record was created holds from
    that date (formation.counts keeps the same rule). What the dashboards and the recap "per tanggal" count by."""
    return Subquery(
        StageMove.objects.filter(cooperative=OuterRef(cooperative_ref), kind__in=STAGE_SETTING)
        .annotate(when=move_time(), later=Case(When(kind=MoveKind.CREATED, then=Value(0)), default=Value(1)))
        .filter(when__lt=before)
        .order_by("-later", "-when", "-id")
        .values("to_stage")[:1]
    )


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


def next_in_queue(user: User) -> StageSubmission | None:
    """The oldest submission still waiting in the user's verify scope (None: the queue is empty); one query."""
    scoped = CooperativeVillage.objects.filter(left_at__isnull=True).filter(scope_q(user, "village_code", Cap.VERIFY))
    return (
        StageSubmission.objects.filter(status=SubmissionStatus.PENDING, cooperative__in=scoped.values("cooperative_id"))
        .order_by("submitted_at", "id")
        .first()
    )


def get_pending_for_user(user: User, pk: int) -> StageSubmission:
    """A submission of a cooperative in the user's verify scope, with its cooperative and files; else 404 (the caller
    checks that it is still waiting)."""
    scoped = CooperativeVillage.objects.filter(left_at__isnull=True).filter(scope_q(user, "village_code", Cap.VERIFY))
    submission = (
        StageSubmission.objects.filter(pk=pk, cooperative__in=scoped.values("cooperative_id"))
        .select_related("cooperative", "submitted_by", "decided_by")
        .prefetch_related("files")
        .first()
    )
    if submission is None:
        raise Http404
    return submission


class Check(TypedDict):
    label: str
    value: str
    ok: bool


def checklist(submission: StageSubmission) -> list[Check]:
    """The stage's required facts (workflow.STAGES) against what was submitted: one row per fact, `ok` when present.
    The submission's files must be prefetched (`files`)."""
    target = workflow.stage(submission.stage)
    files = list(submission.files.all())
    rows: list[Check] = [
        {
            "label": str(target.date_label),
            "value": submission.evidence_date.strftime("%d/%m/%Y") if submission.evidence_date else "",
            "ok": submission.evidence_date is not None,
        }
    ]
    if target.requires_number or submission.evidence_number:
        rows.append(
            {
                "label": str(target.number_label),
                "value": submission.evidence_number,
                "ok": bool(submission.evidence_number) or not target.requires_number,
            }
        )
    if target.requires_file or files:
        rows.append(
            {
                "label": str(_("Document (scan)")),
                "value": ", ".join(f.original_name for f in files),
                "ok": bool(files) or not target.requires_file,
            }
        )
    skipped = workflow.skipped_between(submission.from_stage, target.number)
    if skipped:
        rows.append(
            {
                "label": str(_("Reason the stages in between do not apply")),
                "value": submission.skip_reason,
                "ok": bool(submission.skip_reason),
            }
        )
    return rows


def _latest_submissions(cooperatives) -> dict[int, StageSubmission]:
    """cooperative id -> its latest submission when that one is waiting or was returned (one query; `cooperatives`
    a queryset of Cooperative)."""
    latest = (
        StageSubmission.objects.filter(cooperative=OuterRef("pk")).order_by("-submitted_at", "-id").values("pk")[:1]
    )
    ids = cooperatives.annotate(latest=Subquery(latest)).values("latest")
    return {
        s.cooperative_id: s
        for s in StageSubmission.objects.filter(
            pk__in=ids, status__in=[SubmissionStatus.PENDING, SubmissionStatus.RETURNED]
        ).select_related("cooperative", "decided_by")
    }


def _needs(stage: workflow.Stage) -> list[str]:
    needs = [str(stage.date_label)]
    if stage.requires_number:
        needs.append(str(stage.number_label))
    if stage.requires_file:
        needs.append(str(_("document (scan)")))
    return needs


def own_cooperatives(user: User) -> list[dict]:
    """For an operator desa or a pengurus: the cooperative of each of its villages, with its stage, the next stage and
    what it needs, and the latest submission if it waits for the office or was returned (with the office's reason).
    Two queries. Rows: {"cooperative", "stage", "next" (Stage|None), "needs" ([str]), "pending", "returned",
    "can_submit"}."""
    roles = {a.scope_code: a.role for a in user.active_assignments() if a.role in (Role.OPERATOR_DESA, Role.PENGURUS)}
    codes = [code for code in roles if code]
    if not codes:
        return []
    members = CooperativeVillage.objects.filter(left_at__isnull=True, village_code__in=codes)
    cooperatives = Cooperative.objects.active().filter(id__in=members.values("cooperative_id"))
    latest = _latest_submissions(cooperatives)
    rows = []
    for cooperative in cooperatives.order_by("region_code"):
        following = workflow.BY_NUMBER.get(cooperative.stage + 1)
        submission = latest.get(cooperative.pk)
        pending = submission if submission and submission.status == SubmissionStatus.PENDING else None
        returned = submission if submission and submission.status == SubmissionStatus.RETURNED else None
        rows.append(
            {
                "cooperative": cooperative,
                "stage": workflow.stage(cooperative.stage),
                "next": following,
                "needs": _needs(following) if following else [],
                "pending": pending,
                "returned": returned if returned and returned.stage > cooperative.stage else None,
                "can_submit": roles.get(cooperative.region_code) == Role.OPERATOR_DESA,
            }
        )
    return rows


def waiting_villages(user: User) -> list[dict]:
    """For a camat: the villages of its kecamatan whose latest evidence waits for the office or was returned to the
    village, oldest first. Two queries. Rows: {"cooperative", "submission", "returned" (bool), "since" (datetime)}."""
    codes = [a.scope_code for a in user.active_assignments() if a.role == Role.CAMAT and a.scope_code]
    if not codes:
        return []
    q = subtree_q(codes[0], "village_code")
    for code in codes[1:]:
        q |= subtree_q(code, "village_code")
    members = CooperativeVillage.objects.filter(left_at__isnull=True).filter(q)
    cooperatives = Cooperative.objects.active().filter(id__in=members.values("cooperative_id"))
    rows: list[dict] = []
    for submission in _latest_submissions(cooperatives).values():
        returned = submission.status == SubmissionStatus.RETURNED
        if returned and submission.stage <= submission.cooperative.stage:
            continue  # returned, then the stage was reached another way (e.g. a later submission verified)
        rows.append(
            {
                "submission": submission,
                "cooperative": submission.cooperative,
                "returned": returned,
                "since": submission.decided_at if returned else submission.submitted_at,
            }
        )
    return sorted(rows, key=lambda r: r["since"])


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
