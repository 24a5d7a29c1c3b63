"""Reads of training and visits: scoped querysets, and plain data for the pages (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404

from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import in_scope, scope_q
from kopdes.assistance.models import FollowUp, Training, TrainingAttendee, TrainingVillage, Visit
from kopdes.assistance.policy import ba_villages, is_office, may_edit_visit, may_manage_training, may_record_attendance
from kopdes.audit.stale import read_token
from kopdes.clock import local_today
from kopdes.core.nik import display_nik
from kopdes.formation.models import Cooperative, CooperativeVillage
from kopdes.regions.models import Level, Region, subtree_q

if TYPE_CHECKING:
    from kopdes.accounts.models import User

KECAMATAN_LEN = len("64.01.04")
PER_PAGE = 50


def _page(queryset, number) -> Page:
    """One page of `queryset` (50 rows; a wrong or too large number gives the first or last page): two queries."""
    return Paginator(queryset, PER_PAGE).get_page(number)


# --- training ------------------------------------------------------------------------------------------------------


def trainings_visible_to(user: User):
    """Trainings of the user's office region, or inviting a village in the user's scope."""
    invited = TrainingVillage.objects.filter(removed_at__isnull=True).filter(scope_q(user, "village_code"))
    return Training.objects.filter(Q(id__in=invited.values("training_id")) | scope_q(user, "region_code"))


def get_training_for_user(user: User, pk: int) -> Training:
    training = trainings_visible_to(user).select_related("region").filter(pk=pk).first()
    if training is None:
        raise Http404
    return training


def training_list(user: User, *, page=None) -> Page:
    """One page of the trainings the user sees, newest first; cancelled ones are listed and marked."""
    trainings = (
        trainings_visible_to(user)
        .annotate(
            n_villages=Count("invited", filter=Q(invited__removed_at__isnull=True), distinct=True),
            n_attendees=Count("attendees", filter=Q(attendees__withdrawn_at__isnull=True), distinct=True),
        )
        .order_by("-start_date", "-id")
        .values(
            "pk", "topic", "start_date", "end_date", "place", "trainer", "n_villages", "n_attendees", "cancelled_at"
        )
    )
    result = _page(trainings, page)
    result.object_list = list(result.object_list)
    return result


def may_create_training(user: User) -> bool:
    return bool(creatable_regions(user))


def creatable_regions(user: User) -> list[Region]:
    """The regions a training of the user may belong to: the kabupaten (or provinces) where the user is the office,
    and the kecamatan where it is a pendamping."""
    regions = {}
    for a in user.active_assignments():
        if a.region is None:
            continue
        office = a.region.level in (Level.PROVINSI, Level.KABUPATEN) and is_office(user, a.region.code)
        pendamping = a.role == Role.PENDAMPING and a.region.level == Level.KECAMATAN
        if office or pendamping:
            regions[a.region.code] = a.region
    return list(regions.values())


def training_villages_choices(region: Region) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kecamatan choices, village choices) of the training's region (the kecamatan itself when the region is one),
    for the invitation pick."""
    rows = list(
        Region.objects.subtree(region.code, include_self=region.level == Level.KECAMATAN)
        .active()
        .filter(level__in=(Level.KECAMATAN, Level.DESA))
        .values_list("code", "name", "level", "kind")
    )
    kecamatan = [(code, name) for code, name, level, _kind in rows if level == Level.KECAMATAN]
    names = dict(kecamatan)
    villages = [
        (code, f"{name} ({names.get(code[:KECAMATAN_LEN], '')})")
        for code, name, level, _kind in rows
        if level == Level.DESA
    ]
    return kecamatan, villages


@dataclass
class AttendeeRow:
    pk: int
    name: str
    role: str
    village: str
    village_code: str
    nik: str
    certificate_number: str


def training_detail(user: User, training: Training) -> dict:
    """The invited villages, the attendees the user may see (its scope; the office all), how many attended in all
    (`attendees_total`, only when that differs from the list) and the materials."""
    invited = list(training.invited.filter(removed_at__isnull=True).select_related("village").order_by("village_code"))
    attendees = training.attendees.filter(withdrawn_at__isnull=True).select_related("village")
    total = None
    if not is_office(user, training.region_code):
        total = attendees.count()  # everyone who attended, of all invited villages (the training list's count)
        attendees = attendees.filter(scope_q(user, "village_code"))
    rows = [
        AttendeeRow(
            pk=a.pk,
            name=a.name,
            role=a.get_role_display(),
            village=a.village.display_name,
            village_code=a.village_code,
            nik=display_nik(a.nik, may_see=in_scope(user, a.village_code, Cap.EDIT)),
            certificate_number=a.certificate_number,
        )
        for a in attendees
    ]
    cancelled = training.cancelled_at is not None
    recordable = [
        (i.village_code, i.village.display_name)
        for i in invited
        if not cancelled and may_record_attendance(user, i.village_code)
    ]
    return {
        "cancelled": cancelled,
        "can_manage": not cancelled and may_manage_training(user, training.region_code),
        "invited": [i.village for i in invited],
        "attendees": rows,
        # attended in all invited villages, when the list above holds only those of the user's area
        "attendees_total": total if total is not None and total != len(rows) else None,
        "materials": list(training.materials.all()),
        "recordable_villages": recordable,
        "can_upload": may_manage_training(user, training.region_code),
    }


def get_attendee_for_user(user: User, pk: int) -> TrainingAttendee:
    """An attendee whose certificate the user may print: its village in the user's scope (names: VIEW_PERSONAL)."""
    attendee = TrainingAttendee.objects.select_related("training", "village").filter(pk=pk).first()
    if attendee is None or attendee.withdrawn_at is not None:
        raise Http404
    if not (
        in_scope(user, attendee.village_code, Cap.VIEW_PERSONAL)
        or in_scope(user, attendee.training.region_code, Cap.VERIFY)
    ):
        raise Http404
    return attendee


def certificate_attendees(user: User, training: Training) -> list[TrainingAttendee]:
    attendees = training.attendees.filter(withdrawn_at__isnull=True).select_related("village")
    if not is_office(user, training.region_code):
        attendees = attendees.filter(scope_q(user, "village_code", Cap.VIEW_PERSONAL))
    return list(attendees)


# --- visits --------------------------------------------------------------------------------------------------------


def visits_visible_to(user: User):
    """Visits to villages where the user may see people (the pendamping's name, the follow-ups' owners), and a
    Business Assistant's own visits."""
    return Visit.objects.filter(scope_q(user, "village_code", Cap.VIEW_PERSONAL) | Q(pendamping_id=user.pk))


def get_visit_for_user(user: User, pk: int) -> Visit:
    visit = visits_visible_to(user).select_related("village", "pendamping").filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def visit_list(user: User, *, within: str | None = None, page=None) -> Page:
    """One page (50) of the visits of the user's scope, or of the region `within` (already checked to be in scope),
    newest first; its object_list holds plain rows. Two queries, whatever the number of visits."""
    visits = visits_visible_to(user)
    if within:
        visits = visits.filter(subtree_q(within, "village_code"))
    visits = (
        visits.select_related("village", "pendamping")
        .annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_date__isnull=True)))
        .order_by("-visit_date", "-id")
    )
    result = _page(visits, page)
    result.object_list = [
        {
            "pk": v.pk,
            "visit_date": v.visit_date,
            "village": v.village.display_name,
            "pendamping": v.pendamping,
            "purpose": v.purpose,
            "open_follow_ups": v.open_follow_ups,
            "cancelled": v.cancelled_at is not None,
        }
        for v in result.object_list
    ]
    return result


def visit_detail(user: User, visit: Visit) -> dict:
    follow_ups = list(visit.follow_ups.select_related("done_by"))
    today = local_today(visit.village_code)
    cancelled = visit.cancelled_at is not None
    return {
        "follow_ups": [
            {"item": f, "overdue": not cancelled and f.done_date is None and f.due_date < today} for f in follow_ups
        ],
        "photos": list(visit.photos.all()),
        "can_mark_done": not cancelled and in_scope(user, visit.village_code, Cap.EDIT),
        "can_edit": not cancelled and may_edit_visit(user, visit),
        "cancelled": cancelled,
        "today": today,
    }


def recordable_villages(user: User) -> list[tuple[str, str]]:
    """Villages the user, as pendamping or Business Assistant (its assigned cooperatives' villages), may record
    visits to."""
    q = Q(code__in=list(ba_villages(user)))
    for a in user.active_assignments():
        if a.role == Role.PENDAMPING and a.region is not None:
            q |= subtree_q(a.region.code)
    villages = Region.objects.filter(q).villages().active().order_by("code")
    return [(v.code, v.display_name) for v in villages]


def get_follow_up_for_user(user: User, pk: int) -> FollowUp:
    follow_up = FollowUp.objects.filter(scope_q(user, "village_code", Cap.EDIT)).filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


# --- the case page -------------------------------------------------------------------------------------------------


def case_activities(user: User, cooperative: Cooperative) -> dict:
    """For the village's case page: open follow-ups of visits to its villages, and the trainings its people attended.
    Three queries, whatever the number of rows."""
    codes = list(
        CooperativeVillage.objects.filter(cooperative=cooperative, left_at__isnull=True).values_list(
            "village_code", flat=True
        )
    )
    follow_ups = list(
        FollowUp.objects.filter(village_code__in=codes, done_date__isnull=True, visit__cancelled_at__isnull=True)
        .select_related("visit")
        .order_by("due_date", "id")
    )
    trainings = list(
        Training.objects.filter(
            attendees__village_code__in=codes, attendees__withdrawn_at__isnull=True, cancelled_at__isnull=True
        )
        .annotate(n_people=Count("attendees", distinct=True))
        .order_by("-start_date", "-id")
        .values("pk", "topic", "start_date", "n_people")
    )
    today = local_today(cooperative.region_code)
    can_mark = {code: in_scope(user, code, Cap.EDIT) for code in codes}
    return {
        "open_follow_ups": [
            {"item": f, "overdue": f.due_date < today, "can_mark_done": can_mark.get(f.village_code, False)}
            for f in follow_ups
        ],
        "trainings_attended": trainings,
    }


# --- the assistance dashboard --------------------------------------------------------------------------------------


@dataclass
class KecamatanRow:
    code: str
    name: str
    villages: int = 0
    trainings: int = 0
    attendees: int = 0
    visits: int = 0
    villages_visited: int = 0
    open_follow_ups: int = 0
    overdue_follow_ups: int = 0
    not_visited: list[str] = field(default_factory=list)
    # Whether the user may open the visit list filtered on this kecamatan (a village's operator may not: its link
    # then opens the unfiltered list, which holds its own village only).
    can_filter: bool = False


def dashboard(user: User, *, today: date | None = None) -> dict:
    """Trainings, attendees, visits and follow-ups per kecamatan of the user's scope, and the villages not yet
    visited. Six queries, whatever the number of villages, trainings or visits."""
    villages = list(
        Region.objects.villages().active().filter(scope_q(user)).order_by("code").values_list("code", "name", "kind")
    )
    kecamatan = dict(
        Region.objects.filter(level=Level.KECAMATAN, code__in={c[:KECAMATAN_LEN] for c, _n, _k in villages})
        .order_by("code")
        .values_list("code", "name")
    )
    rows = {
        code: KecamatanRow(code=code, name=f"Kecamatan {name}", can_filter=in_scope(user, code, Cap.VIEW_PERSONAL))
        for code, name in kecamatan.items()
    }
    today = today or local_today(next(iter(kecamatan), "64"))
    kec = Substr("village_code", 1, KECAMATAN_LEN)

    def per_kecamatan(queryset, **aggregates):
        return queryset.annotate(kec=kec).values("kec").annotate(**aggregates).order_by()

    for r in per_kecamatan(
        TrainingVillage.objects.filter(removed_at__isnull=True, training__cancelled_at__isnull=True).filter(
            scope_q(user, "village_code")
        ),
        n=Count("training", distinct=True),
    ):
        if r["kec"] in rows:
            rows[r["kec"]].trainings = r["n"]
    for r in per_kecamatan(
        TrainingAttendee.objects.filter(withdrawn_at__isnull=True, training__cancelled_at__isnull=True).filter(
            scope_q(user, "village_code")
        ),
        n=Count("id"),
    ):
        if r["kec"] in rows:
            rows[r["kec"]].attendees = r["n"]
    visited: set[str] = set()
    for code, n in (
        Visit.objects.filter(cancelled_at__isnull=True)
        .filter(scope_q(user, "village_code"))
        .values("village_code")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("village_code", "n")
    ):
        visited.add(code)
        row = rows.get(code[:KECAMATAN_LEN])
        if row:
            row.visits += n
            row.villages_visited += 1
    for r in per_kecamatan(
        FollowUp.objects.filter(done_date__isnull=True, visit__cancelled_at__isnull=True).filter(
            scope_q(user, "village_code")
        ),
        n=Count("id"),
        late=Count("id", filter=Q(due_date__lt=today)),
    ):
        if r["kec"] in rows:
            rows[r["kec"]].open_follow_ups = r["n"]
            rows[r["kec"]].overdue_follow_ups = r["late"]
    for code, name, _kind in villages:
        row = rows.get(code[:KECAMATAN_LEN])
        if row is None:
            continue
        row.villages += 1
        if code not in visited:
            row.not_visited.append(name)
    table = list(rows.values())
    return {
        "rows": table,
        "totals": {
            "villages": sum(r.villages for r in table),
            "trainings": trainings_visible_to(user).filter(cancelled_at__isnull=True).count(),
            "attendees": sum(r.attendees for r in table),
            "visits": sum(r.visits for r in table),
            "villages_visited": sum(r.villages_visited for r in table),
            "open_follow_ups": sum(r.open_follow_ups for r in table),
            "overdue_follow_ups": sum(r.overdue_follow_ups for r in table),
            "not_visited": sum(len(r.not_visited) for r in table),
        },
        "today": today,
    }


TRAINING_FIELDS = ["topic", "start_date", "end_date", "place", "trainer", "organiser", "description"]


def invited_villages(training: Training) -> dict:
    """What the edit form shows of the invitations, for its read token: the villages invited now."""
    return {"villages": sorted(training.invited.filter(removed_at__isnull=True).values_list("village_code", flat=True))}


def training_token(training: Training) -> str:
    """The read token (`audit.stale`) of a training's details and invitations, for its edit form."""
    return read_token(training, TRAINING_FIELDS, extra=invited_villages(training))


# --- the home page -------------------------------------------------------------------------------------------------

FOLLOW_UP_HORIZON_DAYS = 14  # a follow-up shows on the home from this many days before its due date


def follow_ups_due(user: User, today: date, *, limit: int = 10) -> tuple[int, list[FollowUp]]:
    """Open follow-ups of visits (not cancelled) in the user's edit scope, due by `today` + FOLLOW_UP_HORIZON_DAYS,
    most overdue first: (how many, the first `limit` with their visit). Two queries."""
    open_ = FollowUp.objects.filter(
        scope_q(user, "village_code", Cap.EDIT),
        done_date__isnull=True,
        visit__cancelled_at__isnull=True,
        due_date__lte=today + timedelta(days=FOLLOW_UP_HORIZON_DAYS),
    )
    return open_.count(), list(open_.select_related("visit").order_by("due_date", "id")[:limit])
