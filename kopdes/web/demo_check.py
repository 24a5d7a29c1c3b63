"""The demo's consistency check: the demo must tell one story that the services could have produced.

`violations()` returns one line per breach (empty: consistent); `manage.py demo` ends with it and fails when it is not
empty, `manage.py demo_check` runs it alone. Each line starts with its kind:

- ``registry``: a registry fact before (or without) the stage that produces it — Nomor Induk Koperasi, NPWP and bank
  account after the SK AHU (stage 8); NIB from stage 9; an active SIMKOPDES account from stage 10; an open outlet only
  once operating (stage 11); a RAT only for a book year from the SK AHU on, held after it; board seats and members only
  once the Musdesus was held (stage 4), not from before it (domain-facts.md, stage machine; workflow.py).
- ``nik``: a NIK given to two different names, or one person (name, village) with two NIKs, across members, board
  seats, Musdesus papers and training attendance.
- ``musdesus``: the Musdesus page disagrees with the stage (scheduled stage without that date on the page, held stage
  without the decisions, or a page scheduled for a case below stage 3).
- ``future``: a date after today in the village's zone (kopdes.clock) where only the past may be (stage 3, the
  Musdesus schedule, may lie ahead).
- ``order``: a stage move out of the workflow's order (a verified stage not after the previous one, a move earlier
  than the one before it, evidence dates running backwards: workflow.out_of_order).
- ``dashboard``: the programme's dashboard would show its target met and, beside it, the deadline as overdue.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kopdes.assistance.models.activities import TrainingAttendee
from kopdes.clock import local_today
from kopdes.cooperatives.models import AnnualMeeting, BoardMember, Member, Outlet, OutletStatus
from kopdes.dashboards.selectors import dashboard
from kopdes.formation import workflow
from kopdes.formation.models import (
    Cooperative,
    Musdesus,
    Participant,
    Programme,
    StageMove,
    StageSubmission,
    move_time,
)
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.reports.models import CamatReport

SK_AHU, NIB, SIMKOPDES, OPERATING = 8, 9, 10, 11
SCHEDULED, HELD = 3, workflow.MUSDESUS_HELD


def _name(value: str) -> str:
    return " ".join(value.lower().split())


def label(case: Cooperative) -> str:
    return f"{case.region_code} (tahap {case.stage})"


def registry_violations() -> list[str]:
    cases = {c.pk: c for c in Cooperative.objects.filter(is_active=True)}
    return [*_record_facts(cases), *_outlets_and_rats(cases), *_board_and_members(cases)]


def _record_facts(cases: dict[int, Cooperative]) -> list[str]:
    found = []
    for case in cases.values():
        for field, needs in (
            ("nomor_induk_koperasi", SK_AHU),
            ("npwp", SK_AHU),
            ("bank_account_number", SK_AHU),
            ("sk_ahu_number", SK_AHU),
            ("nib", NIB),
            ("simkopdes_account", SIMKOPDES),
            ("operating_since", OPERATING),
        ):
            if getattr(case, field) and case.stage < needs:
                found.append(f"registry: {label(case)} has {field} before stage {needs}")
        if case.simkopdes_status == "active" and case.stage < SIMKOPDES:
            found.append(f"registry: {label(case)} has an active SIMKOPDES account before stage {SIMKOPDES}")
    return found


def _outlets_and_rats(cases: dict[int, Cooperative]) -> list[str]:
    found = []
    for outlet in Outlet.objects.filter(status=OutletStatus.OPEN, cooperative__is_active=True):
        case = cases[outlet.cooperative_id]
        if case.stage < OPERATING:
            found.append(f"registry: {label(case)} has an open outlet before stage {OPERATING}")
        elif outlet.opened_on and case.sk_ahu_date and outlet.opened_on < case.sk_ahu_date:
            found.append(f"registry: {label(case)} opened an outlet before its SK AHU")
    for rat in AnnualMeeting.objects.filter(held=True, cooperative__is_active=True):
        case = cases[rat.cooperative_id]
        if case.stage < SK_AHU or not case.sk_ahu_date:
            found.append(f"registry: {label(case)} held a RAT before its SK AHU")
        elif rat.book_year < case.sk_ahu_date.year or (rat.held_on and rat.held_on < case.sk_ahu_date):
            found.append(f"registry: {label(case)} held a RAT for {rat.book_year} before its SK AHU")
    return found


def _board_and_members(cases: dict[int, Cooperative]) -> list[str]:
    found = []
    for model, field in ((BoardMember, "term_start"), (Member, "join_date")):
        for row in model.objects.filter(cooperative__is_active=True):
            case = cases[row.cooperative_id]
            since = getattr(row, field)
            if case.stage < HELD:
                found.append(f"registry: {label(case)} has a {model.__name__} before its Musdesus")
            elif since and case.musdesus_date and since < case.musdesus_date:
                found.append(f"registry: {label(case)} has a {model.__name__} from before its Musdesus")
    return found


def _people() -> list[tuple[str, str, str, str]]:
    """(nik, name, village code, where) of everyone named with a NIK."""
    rows = [
        (m.nik, m.name, m.cooperative.region_code, "anggota")
        for m in Member.objects.select_related("cooperative").exclude(nik="")
    ]
    rows += [
        (s.nik, s.name, s.cooperative.region_code, "pengurus/pengawas")
        for s in BoardMember.objects.select_related("cooperative").exclude(nik="")
    ]
    rows += [
        (p.nik, p.name, p.musdesus.cooperative.region_code, "Musdesus")
        for p in Participant.objects.select_related("musdesus__cooperative").exclude(nik="")
    ]
    rows += [(a.nik, a.name, a.village_code, "pelatihan") for a in TrainingAttendee.objects.exclude(nik="")]
    return rows


def nik_violations() -> list[str]:
    names_of: dict[str, set[str]] = defaultdict(set)
    niks_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for nik, name, code, _where in _people():
        names_of[nik].add(_name(name))
        niks_of[(_name(name), code)].add(nik)
    found = [
        f"nik: one NIK ending {nik[-4:]} names {len(names)} people: {', '.join(sorted(names))}"
        for nik, names in sorted(names_of.items())
        if len(names) > 1
    ]
    found += [
        f"nik: {name} ({code}) has {len(niks)} NIKs" for (name, code), niks in sorted(niks_of.items()) if len(niks) > 1
    ]
    return found


def musdesus_violations() -> list[str]:
    pages = {m.cooperative_id: m for m in Musdesus.objects.all()}
    found = []
    for case in Cooperative.objects.filter(is_active=True):
        page = pages.get(case.pk)
        where = f"musdesus: {case.region_code} (tahap {case.stage})"
        if case.stage == SCHEDULED and case.musdesus_scheduled_date:
            if page is None or page.date != case.musdesus_scheduled_date:
                found.append(f"{where}: the stage says scheduled for {case.musdesus_scheduled_date}, the page not")
        if case.stage >= HELD:
            if page is None or page.decisions_recorded_at is None or not page.berita_acara_number:
                found.append(f"{where}: the stage says held, the page has no Berita Acara data")
            elif page.date != case.musdesus_date:
                found.append(f"{where}: held on {case.musdesus_date}, the page says {page.date}")
        if case.stage < SCHEDULED and page is not None and page.date:
            found.append(f"{where}: the page is scheduled but the stage is not")
    return found


def future_violations(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    found = []
    dated = [s.date_field for s in workflow.STAGES if s.date_field and not s.date_may_be_future]
    for case in Cooperative.objects.filter(is_active=True):
        today = local_today(case.region_code)
        for field in dated:
            value = getattr(case, field)
            if value and value > today:
                found.append(f"future: {case.region_code} {field} {value}")
    for move in StageMove.objects.annotate(when=move_time()).filter(Q(when__gt=now) | Q(at__gt=now)):
        found.append(f"future: move {move.pk} of {move.cooperative_id} at {move.at}")
    today = local_today("64")
    checks: list[tuple[Any, str]] = [
        (Member, "join_date"),
        (BoardMember, "term_start"),
        (Outlet, "opened_on"),
        (AnnualMeeting, "held_on"),
    ]
    for model, field in checks:
        for pk in model.objects.filter(**{f"{field}__gt": today}).values_list("pk", flat=True):
            found.append(f"future: {model.__name__} {pk} {field}")
    for pk in CamatReport.objects.filter(submitted_at__gt=now).values_list("pk", flat=True):
        found.append(f"future: CamatReport {pk} submitted_at")
    for pk in StageSubmission.objects.filter(submitted_at__gt=now).values_list("pk", flat=True):
        found.append(f"future: StageSubmission {pk} submitted_at")
    return found


def order_violations() -> list[str]:
    found = []
    moves: dict[int, list[Any]] = defaultdict(list)
    for move in StageMove.objects.annotate(when=move_time()).order_by("cooperative_id", "id"):
        moves[move.cooperative_id].append(move)
    cases = {c.pk: c for c in Cooperative.objects.all()}
    for pk, history in moves.items():
        found += _history_violations(cases[pk], history)
    pending = StageSubmission.objects.filter(status=SubmissionStatus.PENDING).select_related("cooperative")
    for submission in pending:
        if submission.stage <= submission.cooperative.stage:
            found.append(f"order: {submission.cooperative.region_code} waits for a stage it already has")
    return found


def _history_violations(case: Cooperative, history: list[Any]) -> list[str]:
    """One case's moves, in the order written: verified stages rising one after another, times never backwards."""
    found = []
    stage, last = 0, None
    for move in history:
        if last is not None and move.when < last:
            found.append(f"order: {case.region_code} move {move.pk} ({move.kind}) is dated before the one before it")
        last = move.when
        if move.kind == MoveKind.VERIFIED:
            if move.to_stage is None or move.to_stage <= stage or move.from_stage != stage:
                found.append(f"order: {case.region_code} verified {move.from_stage}→{move.to_stage} after {stage}")
            stage = move.to_stage or stage
        elif move.kind == MoveKind.STEP_BACK:
            stage = move.to_stage or 0
    if stage != case.stage and case.is_active:
        found.append(f"order: {case.region_code} history ends at stage {stage}, the record says {case.stage}")
    dates = {s.date_field: getattr(case, s.date_field) for s in workflow.STAGES if s.date_field}
    for later, earlier in workflow.out_of_order(dates, case.pathway, case.stage):
        found.append(f"order: {case.region_code} stage {later.number} dated before stage {earlier.number}")
    return found


def shows_target_met_and_overdue(d) -> bool:
    """Whether the dashboard `d` shows the target met beside an overdue deadline. A dashboard that knows the day its
    target was met (`target_met`) shows that day instead of the delay; one that does not shows the delay."""
    met = d.percent_of_target is not None and d.percent_of_target >= 100
    overdue = d.days_past_deadline is not None and not getattr(d, "target_met", False)
    return met and overdue


def dashboard_violations() -> list[str]:
    found = []
    for programme in Programme.objects.filter(is_active=True).select_related("region"):
        d = dashboard(programme.region, with_villages=False)
        if shows_target_met_and_overdue(d):
            found.append(
                f"dashboard: {programme.region.code} shows {d.percent_of_target:.0f} % of the target met "
                f"and {d.days_past_deadline} days past the deadline"
            )
    return found


def violations(now: datetime | None = None) -> list[str]:
    """Every breach of the demo's story, each a line starting with its kind; empty when consistent."""
    return [
        *registry_violations(),
        *nik_violations(),
        *musdesus_violations(),
        *future_violations(now),
        *order_violations(),
        *dashboard_violations(),
    ]
