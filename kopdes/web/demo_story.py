"""The demo's story after formation, and the Musdesus pages of its history (called by `manage.py demo`).

A RECONSTRUCTION (moves carry source "demo-replay" and the note "rekonstruksi demo"), in the order the services would
produce it, never dated after today. What is reported: all 144 Paser cooperatives were legal entities by early July
2025 (the replay); operation awaited a central juknis; East Kalimantan had 85 % of its KDKMP in SIMKOPDES by
20 October 2025; Agrinas began building 18 outlets in Paser in December 2025, target March 2026 (Nomor Satu Kaltim,
"18 KDKMP di Paser Mulai Dibangun", 6 January 2026).
So here: most villages get their NIB (stage 9) from August to November 2025 and SIMKOPDES (stage 10) from September
2025 on; 18 open an outlet (stage 11) from March 2026; the rest are still at work today. Janju, the operator's village,
is midway: NIB recorded, SIMKOPDES requested, its shop being built.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import Role
from kopdes.accounts.services import assign_role
from kopdes.clock import local_today
from kopdes.formation.demo import PROGRAMME_NAME, WITA, submit_and_verify
from kopdes.formation.demo_people import Person, village_people
from kopdes.formation.models import Cooperative, Musdesus, Programme
from kopdes.formation.musdesus import services as musdesus_services
from kopdes.formation.workflow import Pathway
from kopdes.regions.models import Level, Region
from kopdes.reports import services as report_services
from kopdes.reports.models import CamatReport, ReportPeriod

SOURCE = "demo-replay"
NOTE = "Data demo: rekonstruksi demo (setelah badan hukum)."
JANJU, SUNGAI_TERIK, KASUNGAI = "64.01.04.2002", "64.01.01.2013", "64.01.01.2014"
# stage → evidence date, for the three registry villages (cooperatives/demo.py fills their registry to match)
FIXED = {
    JANJU: {9: date(2025, 10, 6)},
    SUNGAI_TERIK: {9: date(2025, 8, 18), 10: date(2025, 9, 2), 11: date(2025, 9, 15)},
    KASUNGAI: {},
}
OUTLETS_BUILT = 18  # Agrinas, December 2025 → March 2026


def _day(start: date, end: date, index: int, count: int) -> date:
    return start + timedelta(days=(end - start).days * index // max(count, 1))


def plan(codes: list[str], today: date) -> dict[str, dict[int, date]]:
    """Evidence date per stage 9–11 per village, none after `today`; deterministic."""
    others = [c for c in codes if c not in FIXED]
    n = len(others)
    result: dict[str, dict[int, date]] = {code: dict(stages) for code, stages in FIXED.items()}
    for i, code in enumerate(others):
        stages: dict[int, date] = {}
        if i % 8 != 7:  # one in eight still without NIB
            stages[9] = _day(date(2025, 8, 4), date(2025, 11, 28), i, n)
            if i % 6 != 5:  # SIMKOPDES for most of those
                stages[10] = stages[9] + timedelta(days=14 + i % 20)
                if i % 7 == 0 and len([s for s in result.values() if 11 in s]) < OUTLETS_BUILT:
                    stages[11] = _day(date(2026, 3, 2), date(2026, 6, 30), i, n)
        result[code] = {stage: day for stage, day in stages.items() if day <= today}
    return result


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), WITA)


def advance(*, admin, operators: dict[str, object]) -> int:
    """Move the formed cooperatives on to stages 9–11 on their planned dates. Returns the moves written (0 when
    already done: rerunnable)."""
    cases = {
        c.region_code: c
        for c in Cooperative.objects.filter(programme__name=PROGRAMME_NAME, is_active=True, stage__gte=8)
    }
    if not cases or any(c.stage > 8 for c in cases.values()):
        return 0
    today = local_today("64.01")
    written = 0
    for code, stages in sorted(plan(sorted(cases), today).items()):
        case = cases.get(code)
        if case is None:
            continue
        with transaction.atomic():
            for stage, day in sorted(stages.items()):
                case.refresh_from_db()
                submitted = max(_at(day, 9), case.updated_at + timedelta(minutes=30))
                submit_and_verify(
                    case,
                    stage,
                    day,
                    submitter=operators.get(code, admin),
                    verifier=admin,
                    submitted_at=submitted,
                    verified_at=submitted + timedelta(hours=4),
                    source=SOURCE,
                    note=NOTE,
                    number={9: f"912{code.replace('.', '')[-10:]}", 10: f"KDMP-{code}"}.get(stage, ""),
                )
                written += 1
    return written


# A Musdesus's people, by their place in the village's list (formation/demo_people.py): the village head chairs the
# pengawas ex officio; five pengurus in the five positions; two more pengawas; 20 founders; 30 invited, 26 came.
HEAD = 0
PENGURUS = [(1, "ketua"), (2, "wakil_usaha"), (3, "wakil_keanggotaan"), (4, "sekretaris"), (5, "bendahara")]
PENGAWAS = [(0, "ketua"), (6, "anggota"), (7, "anggota")]
FOUNDERS, INVITED, CAME = 20, 30, 26
ELEMENTS = ["tokoh_masyarakat", "tokoh_agama", "pelaku_usaha", "bpd", "perempuan", "pemuda"]


def _row(person: Person, index: int, **extra) -> dict:
    element = "perempuan" if person.sex == "P" and index % 3 == 0 else ELEMENTS[index % len(ELEMENTS)]
    return {"name": person.name, "sex": person.sex, "nik": person.nik, "element": element, **extra}


def board(code: str) -> tuple[list[dict], list[dict]]:
    """The pengurus and pengawas the village's Musdesus elected (rows of the Musdesus papers): the board seats."""
    people = village_people(code)
    pengurus = [_row(people[i], i, position=pos) for i, pos in PENGURUS]
    pengawas = [_row(people[i], i, position=pos, village_office="head" if i == HEAD else "") for i, pos in PENGAWAS]
    return pengurus, pengawas


def founders(code: str) -> list[Person]:
    return village_people(code)[:FOUNDERS]


def musdesus_pages(*, admin) -> int:
    """Write each case's Musdesus page as its stages say: the schedule and the invitees from stage 3 on; the
    attendance, the decisions, the founders and the elected board from stage 4 on — all people from the village's
    list, one NIK each. Returns the pages written (0 when they exist: rerunnable)."""
    if Musdesus.objects.exists():
        return 0
    written = 0
    for case in Cooperative.objects.filter(programme__name=PROGRAMME_NAME, is_active=True, stage__gte=3).order_by(
        "region_code"
    ):
        day = case.musdesus_date or case.musdesus_scheduled_date
        if day is None:
            continue
        village = case.name.split("Merah Putih ")[-1]
        people = village_people(case.region_code)
        musdesus_services.schedule_musdesus(
            actor=admin,
            cooperative=case,
            date=day,
            time=time(9),
            place=f"Balai Desa {village}",
            convener="Ketua BPD",
            invitees=[_row(p, i) for i, p in enumerate(people[:INVITED])],
        )
        if case.stage >= 4:
            musdesus_services.record_attendance(
                actor=admin, cooperative=case, attendees=[_row(p, i) for i, p in enumerate(people[:CAME])]
            )
            pengurus, pengawas = board(case.region_code)
            musdesus_services.record_decisions(
                actor=admin,
                cooperative=case,
                decisions={
                    "pathway": case.pathway or Pathway.PENDIRIAN_BARU,
                    "cooperative_name": case.name,
                    "no_family_ties_declared": True,
                    "notes": "Data demo (rekonstruksi demo).",
                },
                founders=[_row(p, i) for i, p in enumerate(founders(case.region_code))],
                pengurus=pengurus,
                pengawas=pengawas,
            )
        written += 1
    return written


# ---- camat reports ----------------------------------------------------------------------------------------------

LATE_EVERY = 9  # one report in nine is sent after its due date, within the late period
# these two have not sent the last report whose due date has passed (nor the one after): the camat's work today
SKIPPED_LAST = {"64.01.01", "64.01.07"}


def camats(*, password: str) -> dict[str, User]:
    """One demo camat per kecamatan of Paser (username camat.<kecamatan>), the existing camat.batusopang included."""
    result: dict[str, User] = {}
    for kecamatan in Region.objects.subtree("64.01", include_self=False).filter(level=Level.KECAMATAN).active():
        assignment = (
            RoleAssignment.objects.filter(role=Role.CAMAT, region=kecamatan, ended_at__isnull=True)
            .select_related("user")
            .first()
        )
        if assignment is None:
            username = "camat." + "".join(ch for ch in kecamatan.name.lower() if ch.isalnum())
            user, _created = User.objects.get_or_create(
                username=username, defaults={"full_name": f"Camat {kecamatan.name.title()}", "is_demo": True}
            )
            user.set_password(password)
            user.is_demo, user.must_change_password = True, False
            user.save()
            assign_role(actor=None, user=user, role=Role.CAMAT, region=kecamatan)
            result[kecamatan.code] = user
        else:
            result[kecamatan.code] = assignment.user
    return result


def camat_reports(*, admin, camats: dict[str, User]) -> int:
    """Each kecamatan's report for every past period, submitted on its day (the village table as the stage history
    stood then), most on time, one in LATE_EVERY late; the office accepted those older than two weeks. The last
    period due is still missing for SKIPPED_LAST, and the current one is not due yet. Returns the reports submitted
    (0 when done: rerunnable)."""
    programme = Programme.objects.filter(name=PROGRAMME_NAME).select_related("region").first()
    if programme is None or CamatReport.objects.filter(period__programme=programme).exists():
        return 0
    today = local_today("64.01")
    now = timezone.now()
    report_services.ensure_periods(programme=programme, until=today, actor=admin)
    periods = list(ReportPeriod.objects.filter(programme=programme, end__lt=today).order_by("start"))
    kecamatans = {k.code: k for k in Region.objects.filter(code__in=camats)}
    written = 0
    last_due = max((p.due for p in periods if p.due < today), default=None)
    for index, period in enumerate(periods):
        for number, (code, kecamatan) in enumerate(sorted(kecamatans.items())):
            if code in SKIPPED_LAST and last_due is not None and period.due >= last_due:
                continue
            late = (index + number) % LATE_EVERY == 0
            day = period.due + timedelta(days=2) if late else period.end + timedelta(days=1 + number % 2)
            submitted = _at(day, 10 + number % 5)
            if submitted > now:
                continue
            report = report_services.submit_report(
                actor=camats[code],
                kecamatan=kecamatan,
                period=period,
                at=submitted,
                obstacles="" if number % 3 else "Sebagian dokumen desa masih menunggu tanda tangan kepala desa.",
                follow_up="Pendampingan desa oleh pendamping kecamatan.",
            )
            accepted = submitted + timedelta(days=1)
            if accepted < now - timedelta(days=14):
                report_services.accept_report(actor=admin, report=report, at=accepted)
            written += 1
    return written
