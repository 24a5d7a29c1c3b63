"""The demo's consistency check: the demo must tell one story that the services could have produced.

`violations()` returns one line per breach (empty: consistent); `manage.py demo` ends with it and fails when it is not
empty, `manage.py demo_check` runs it alone. Each line starts with its kind:

- ``registry``: a registry fact before (or without) the stage that produces it — Nomor Induk Koperasi, NPWP and bank
  account after the SK AHU (stage 8); NIB from stage 9; an active SIMKOPDES account from stage 10; an open outlet only
  once operating (stage 11); a RAT only for a book year from the SK AHU on, held after it; board seats and members only
  once the Musdesus was held (stage 4), not from before it (the stage machine in formation/workflow.py).
- ``nik``: a NIK given to two different names, or one person (name, village) with two NIKs, across members, board
  seats, Musdesus papers and training attendance; a NIK the cleaner refuses (kopdes/cleaners/nik.py: region digits,
  birth date with 40 added to the day for women, serial), or whose sex differs from the one recorded beside it.
- ``musdesus``: the Musdesus page disagrees with the stage (scheduled stage without that date on the page, held stage
  without the decisions, attendance, founders or elected board, or a page scheduled for a case below stage 3); a
  registry board that is not the one the Musdesus elected.
- ``report``: a camat report whose frozen village table is not the stages as the history stood when it was
  submitted, a report of a period whose late period has ended (expired) still missing — the story leaves only the
  last due report of a kecamatan or two for the camat to do — or a report submitted before its period ended.
- ``future``: a date after today in the village's zone (kopdes.clock) where only the past may be (stage 3, the
  Musdesus schedule, may lie ahead).
- ``order``: a stage move out of the workflow's order (a verified stage not after the previous one, a move earlier
  than the one before it, evidence dates running backwards: workflow.out_of_order).
- ``dashboard``: the programme's dashboard would show its target met and, beside it, the deadline as overdue.
- ``building``: a building step (Inpres 17/2025 gerai, kopdes/buildings/workflow.py) before its cooperative exists
  (no SK AHU, or evidence dated before it), a first sale without a handover or before it, a handover before the
  100 % photos, verified bands going backwards (in value or date) without a reason, and a trading building whose
  cooperative is neither at stage 11 nor waiting for it (docs/decisions/0009-stage-11-by-outlet-or-building.md).
  Its dates after today count as ``future``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from kopdes.assistance.models.activities import TrainingAttendee
from kopdes.buildings.models import Building
from kopdes.buildings.models import Move as BuildingMove
from kopdes.buildings.models import Submission as BuildingSubmission
from kopdes.buildings.workflow import CONSTRUCTION, Band
from kopdes.cleaners.nik import parse_nik
from kopdes.clock import local_date, local_today
from kopdes.cooperatives.models import AnnualMeeting, BoardMember, Member, Outlet, OutletStatus
from kopdes.dashboards.selectors import dashboard
from kopdes.formation import workflow
from kopdes.formation.models import (
    Cooperative,
    CooperativeVillage,
    Musdesus,
    Participant,
    Programme,
    StageMove,
    StageSubmission,
    move_time,
)
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.regions.models import Level, Region
from kopdes.reports.models import CamatReport, ReportPeriod, ReportStatus

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


def _sex_of(nik: str) -> str:
    return "P" if int(nik[6:8]) > 40 else "L"


def nik_cleaner_violations() -> list[str]:
    """Every NIK the demo holds passes the cleaner, and agrees with the sex recorded beside it."""
    found = []
    seen = set()
    for nik, _who, code, where in _people():
        if nik in seen:
            continue
        seen.add(nik)
        try:
            parse_nik(nik)
        except ValidationError:
            found.append(f"nik: the NIK ending {nik[-4:]} ({where}, {code}) is refused by the cleaner")
    for model, sex_field in ((Member, "sex"), (Participant, "sex")):
        for nik, sex in model.objects.exclude(nik="").exclude(**{sex_field: ""}).values_list("nik", sex_field):
            if len(nik) == 16 and nik.isdigit() and _sex_of(nik) != sex:
                found.append(f"nik: the NIK ending {nik[-4:]} reads {_sex_of(nik)}, {model.__name__} says {sex}")
    return found


def musdesus_violations() -> list[str]:
    pages = {m.cooperative_id: m for m in Musdesus.objects.all()}
    kinds_on: dict[int, set[str]] = defaultdict(set)
    for musdesus_id, kind in Participant.objects.values_list("musdesus_id", "kind").distinct():
        kinds_on[musdesus_id].add(kind)
    found = []
    for case in Cooperative.objects.filter(is_active=True):
        page = pages.get(case.pk)
        where = f"musdesus: {case.region_code} (tahap {case.stage})"
        if case.stage == SCHEDULED and case.musdesus_scheduled_date:
            if page is None or page.date != case.musdesus_scheduled_date:
                found.append(f"{where}: the stage says scheduled for {case.musdesus_scheduled_date}, the page not")
        if case.stage >= HELD:
            if page is None or page.decisions_recorded_at is None:
                found.append(f"{where}: the stage says held, the page has no Berita Acara data")
            elif missing := {"attendee", "founder", "pengurus", "pengawas"} - kinds_on.get(page.pk, set()):
                found.append(f"{where}: the stage says held, the page names no {', '.join(sorted(missing))}")
            elif page.date != case.musdesus_date:
                found.append(f"{where}: held on {case.musdesus_date}, the page says {page.date}")
        if case.stage < SCHEDULED and page is not None and page.date:
            found.append(f"{where}: the page is scheduled but the stage is not")
    return found + _board_as_elected(pages)


def _board_as_elected(pages: dict[int, Musdesus]) -> list[str]:
    """A registry board's first seats are the pengurus and pengawas its Musdesus elected (same names, same NIKs)."""
    seated: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    for row in BoardMember.objects.filter(cooperative__is_active=True).values_list(
        "cooperative_id", "organ", "name", "nik"
    ):
        seated[row[0]].add((row[1], _name(row[2]), row[3]))
    found = []
    for pk, seats in seated.items():
        page = pages.get(pk)
        elected = {
            (p.kind, _name(p.name), p.nik)
            for p in (page.people.filter(kind__in=["pengurus", "pengawas"]) if page else [])
        }
        if seats != elected:
            found.append(f"musdesus: cooperative {pk}: the board seated is not the board its Musdesus elected")
    return found


def report_violations(now: datetime | None = None) -> list[str]:
    """Camat reports: the frozen table equals the stage history at submission; no expired period left unreported;
    none submitted before its period ended."""
    now = now or timezone.now()
    changes: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    setting = (MoveKind.CREATED, MoveKind.VERIFIED, MoveKind.STEP_BACK, MoveKind.NOT_APPLICABLE)
    moves = (
        StageMove.objects.filter(kind__in=setting, to_stage__isnull=False)
        .annotate(when=move_time())
        .order_by("when", "id")
        .values_list("cooperative_id", "when", "to_stage")
    )
    for pk, when, stage in moves:
        changes[pk].append((when, stage or 0))
    village_case = dict(
        CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True).values_list(
            "village_code", "cooperative_id"
        )
    )

    def stage_at(pk: int, at: datetime) -> int:
        history = changes.get(pk, [])
        i = bisect_right([when for when, _s in history], at)
        return history[i - 1][1] if i else 0

    found = []
    submitted = CamatReport.objects.exclude(status=ReportStatus.DRAFT).select_related("period")
    for report in submitted:
        if report.submitted_at is None:
            continue
        if local_date(report.kecamatan_code, report.submitted_at) <= report.period.end:
            found.append(f"report: {report.kecamatan_code} {report.period} submitted before the period ended")
        for row in report.snapshot:
            case_pk = village_case.get(row["code"])
            if case_pk is not None and stage_at(case_pk, report.submitted_at) != row["stage"]:
                found.append(
                    f"report: {report.kecamatan_code} {report.period} v{report.version} shows {row['code']} at "
                    f"stage {row['stage']}, the history at submission says {stage_at(case_pk, report.submitted_at)}"
                )
                break
    return found + _missing_reports(set(submitted.values_list("period_id", "kecamatan_code")), now)


def _missing_reports(sent: set[tuple[int, str]], now: datetime) -> list[str]:
    found = []
    for programme in Programme.objects.filter(is_active=True).select_related("region"):
        today = local_date(programme.region.code, now)
        kecamatans = Region.objects.subtree(programme.region.code, include_self=False).filter(level=Level.KECAMATAN)
        codes = list(kecamatans.active().values_list("code", flat=True))
        for period in ReportPeriod.objects.filter(programme=programme, expires__lt=today):
            for code in codes:
                if (period.pk, code) not in sent:
                    found.append(f"report: {code} never reported for {period}, expired on {period.expires}")
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


BUILDING_DATES = (
    "land_proposed_on",
    "surveyed_on",
    "clear_on",
    "portal_on",
    "band_on",
    "handover_on",
    "asset_on",
    "first_sale_on",
)


def building_violations(now: datetime | None = None) -> list[str]:
    """The buildings' track against their cooperatives and against itself (see the module's docstring)."""
    now = now or timezone.now()
    return [*_building_facts(), *_band_order(), *_building_future(now)]


def _building_facts() -> list[str]:
    verified = BuildingSubmission.objects.filter(status=SubmissionStatus.VERIFIED).exclude(evidence_date=None)
    first_evidence: dict[int, Any] = {}
    for building_id, day in verified.values_list("building_id", "evidence_date"):
        held = first_evidence.get(building_id)
        first_evidence[building_id] = day if held is None or day < held else held
    pending_11 = set(
        StageSubmission.objects.filter(status=SubmissionStatus.PENDING, stage=OPERATING).values_list(
            "cooperative_id", flat=True
        )
    )
    found = []
    for building in Building.objects.select_related("cooperative"):
        case, where = building.cooperative, f"building: {building.region_code}"
        earliest = first_evidence.get(building.pk)
        if case.stage < SK_AHU or not case.sk_ahu_date:
            found.append(f"{where} has a building but its cooperative has no SK AHU (stage {case.stage})")
        elif earliest and earliest < case.sk_ahu_date:
            found.append(f"{where} has a step dated {earliest}, before its cooperative's SK AHU {case.sk_ahu_date}")
        if building.first_sale_on and (not building.handover_on or building.first_sale_on < building.handover_on):
            found.append(f"{where} sold first on {building.first_sale_on}, handed over on {building.handover_on}")
        if building.handover_on and (building.band != Band.DONE or not building.band_on
                                     or building.handover_on < building.band_on):  # fmt: skip
            found.append(f"{where} handed over on {building.handover_on} at band {building.band} ({building.band_on})")
        if building.is_trading and case.stage < OPERATING and case.pk not in pending_11:
            found.append(f"{where} trades, its cooperative is at stage {case.stage} and not waiting for stage 11")
    return found


def _band_order() -> list[str]:
    """Verified bands of each building, in the order verified: never lower, never dated earlier, unless a reason."""
    found = []
    bands: dict[int, list[tuple]] = defaultdict(list)
    for building_id, band, day, reason in (
        BuildingSubmission.objects.filter(status=SubmissionStatus.VERIFIED, step=CONSTRUCTION, not_applicable=False)
        .order_by("building_id", "decided_at", "id")
        .values_list("building_id", "band", "evidence_date", "reason")
    ):
        history = bands[building_id]
        if history and not reason and (band < history[-1][0] or day < history[-1][1]):
            found.append(
                f"building: {building_id} band {band} on {day} after band {history[-1][0]} on {history[-1][1]}"
            )
        history.append((band, day))
    return found


def _building_future(now: datetime) -> list[str]:
    found = []
    for building in Building.objects.all():
        today = local_today(building.region_code)
        for field in BUILDING_DATES:
            value = getattr(building, field)
            if value and value > today:
                found.append(f"future: building {building.region_code} {field} {value}")
    for pk in BuildingMove.objects.filter(at__gt=now).values_list("pk", flat=True):
        found.append(f"future: building move {pk}")
    late = Q(submitted_at__gt=now) | Q(decided_at__gt=now)
    for pk in BuildingSubmission.objects.filter(late).values_list("pk", flat=True):
        found.append(f"future: building submission {pk} recorded after now")
    for pk, region, day in BuildingSubmission.objects.exclude(evidence_date=None).values_list(
        "pk", "building__region_code", "evidence_date"
    ):
        if day is not None and day > local_today(region):
            found.append(f"future: building submission {pk} dated {day}")
    return found


def violations(now: datetime | None = None) -> list[str]:
    """Every breach of the demo's story, each a line starting with its kind; empty when consistent."""
    return [
        *registry_violations(),
        *nik_violations(),
        *nik_cleaner_violations(),
        *musdesus_violations(),
        *report_violations(now),
        *future_violations(now),
        *order_violations(),
        *dashboard_violations(),
        *building_violations(now),
    ]
