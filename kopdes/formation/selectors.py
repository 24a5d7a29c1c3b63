"""Formation reads for dashboards and lists: plain data, a fixed number of queries whatever the number of villages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.http import Http404

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.clock import local_today
from kopdes.formation import workflow
from kopdes.formation.models import Cooperative, CooperativeVillage, Programme, ProgrammeTarget, StageSubmission
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.models import Level, Region, subtree_q


def programme_for(region: Region) -> Programme | None:
    """The active programme whose region contains `region` (the nearest one), else None."""
    codes = [*region.ancestor_codes(), region.code]
    programmes = Programme.objects.filter(is_active=True, region__code__in=codes).select_related("region")
    return max(programmes, key=lambda p: len(p.region.code), default=None)


def current_target(programme: Programme, on: date) -> ProgrammeTarget | None:
    targets = programme.targets.filter(effective_from__lte=on).order_by("-effective_from", "-id")
    return targets.first() or programme.targets.order_by("effective_from", "id").first()


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


def verification_queue(user) -> list[StageSubmission]:
    """Submissions waiting for the office within the user's verify scope, oldest first."""
    scoped = CooperativeVillage.objects.filter(left_at__isnull=True).filter(scope_q(user, "village_code", Cap.VERIFY))
    return list(
        StageSubmission.objects.filter(status=SubmissionStatus.PENDING, cooperative__in=scoped.values("cooperative_id"))
        .select_related("cooperative", "submitted_by")
        .annotate(n_files=Count("files"))
        .order_by("submitted_at", "id")
    )


def get_cooperative_for_user(user, pk: int) -> Cooperative:
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


def merge_candidates(user, cooperative: Cooperative):
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
