"""The demo's story after formation, and the Musdesus pages of its history (called by `manage.py demo`).

A RECONSTRUCTION (moves carry source "demo-replay" and the note "rekonstruksi demo"), in the order the services would
produce it, never dated after today. What is reported: all 144 Paser cooperatives were legal entities by early July
2025 (the replay); operation awaited a central juknis; East Kalimantan had 85 % of its KDKMP in SIMKOPDES by
20 October 2025; Agrinas began building 18 outlets in Paser in December 2025, target March 2026 (domain-facts.md).
So here: most villages get their NIB (stage 9) from August to November 2025 and SIMKOPDES (stage 10) from September
2025 on; 18 open an outlet (stage 11) from March 2026; the rest are still at work today. Janju, the operator's village,
is midway: NIB recorded, SIMKOPDES requested, its shop being built.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction

from kopdes.clock import local_today
from kopdes.formation.demo import PROGRAMME_NAME, WITA, submit_and_verify
from kopdes.formation.models import Cooperative, Musdesus
from kopdes.formation.musdesus import services as musdesus_services
from kopdes.formation.workflow import Pathway

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


def musdesus_pages(*, admin) -> int:
    """Write each case's Musdesus page as its stages say: the schedule from stage 3 on, the decisions and the
    Berita Acara number from stage 4 on. Returns the pages written (0 when they exist: rerunnable)."""
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
        musdesus_services.schedule_musdesus(
            actor=admin,
            cooperative=case,
            date=day,
            time=time(9),
            place=f"Balai Desa {village}",
            convener="Ketua BPD",
            invitees=[],
            invitation_number=f"005/{case.region_code[-4:]}/V/2025",
        )
        if case.stage >= 4:
            musdesus_services.record_decisions(
                actor=admin,
                cooperative=case,
                decisions={
                    "pathway": case.pathway or Pathway.PENDIRIAN_BARU,
                    "cooperative_name": case.name,
                    "berita_acara_number": f"BA/{case.region_code[-4:]}/2025",
                    "notes": "Data demo (rekonstruksi demo).",
                },
                founders=[],
                pengurus=[],
                pengawas=[],
            )
        written += 1
    return written
