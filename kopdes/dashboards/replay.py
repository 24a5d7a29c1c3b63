"""Replay of Kabupaten Paser's 2025 timeline through the real formation services (`manage.py demo --replay`).

A RECONSTRUCTION, marked as such in the UI (moves carry source "demo-replay"). What is reported (the Paser regency's and
the provincial press's figures of 2025): on 11 May 2025 six villages were in Musdesus (the demo's state); by 28 May 2025
all 144 villages had held Musdesus, 35 had booked their cooperative's name and 8 had an SK AHU; by early July 2025 all
144 were legal entities (berbadan hukum). Every date in between is spread plausibly and deterministically (no
randomness: the same replay gives the same history). Every village goes through every stage 1–8 of the pendirian baru
pathway; each submission is verified by the office the same day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction

from kopdes.formation.demo import PROGRAMME_NAME, WITA, demo_pdf, submit_and_verify
from kopdes.formation.models import Cooperative, StageMove
from kopdes.formation.workflow import Pathway

SOURCE = "demo-replay"
NOTE = "Data demo: rekonstruksi linimasa Kabupaten Paser 2025."
MUSDESUS_DONE = date(2025, 5, 28)  # all 144 had held Musdesus; 35 names booked, 8 SK
ALL_FORMED = date(2025, 7, 4)  # "early July": all 144 berbadan hukum
BOOKED_BY_28_MAY = 35
SK_BY_28_MAY = 8


def _spread(start: date, end: date, index: int, count: int, power: float = 1.0) -> date:
    """The index-th of `count` dates between start and end; power > 1 bunches them towards the end."""
    span = (end - start).days
    fraction = ((index + 0.5) / count) ** power if count else 0
    return start + timedelta(days=round(span * fraction))


def _plan(code_order: list[str]) -> dict[str, dict[int, date]]:
    """Evidence date per stage per village, increasing along the stages."""
    n = len(code_order)
    plan: dict[str, dict[int, date]] = {}
    for i, code in enumerate(code_order):
        # the first SK_BY_28_MAY villages lead; then the other booked ones; then the rest
        musdesus = _spread(date(2025, 5, 12), date(2025, 5, 27), i, n, 1.3)
        if i < SK_BY_28_MAY:
            musdesus = min(musdesus, date(2025, 5, 14))
            booked = musdesus + timedelta(days=3)
            deed = booked + timedelta(days=3)
            sk = min(deed + timedelta(days=4), MUSDESUS_DONE)
        elif i < BOOKED_BY_28_MAY:
            booked = max(musdesus + timedelta(days=1), _spread(date(2025, 5, 19), MUSDESUS_DONE, i, BOOKED_BY_28_MAY))
            deed = _spread(date(2025, 6, 2), date(2025, 6, 14), i - SK_BY_28_MAY, BOOKED_BY_28_MAY - SK_BY_28_MAY)
            sk = deed + timedelta(days=3)
        else:
            rest = n - BOOKED_BY_28_MAY
            j = i - BOOKED_BY_28_MAY
            booked = max(musdesus + timedelta(days=2), _spread(date(2025, 5, 29), date(2025, 6, 18), j, rest))
            deed = booked + timedelta(days=3 + j % 5)
            sk = min(max(deed + timedelta(days=2), _spread(date(2025, 6, 10), ALL_FORMED, j, rest, 0.8)), ALL_FORMED)
            deed = min(deed, sk)
        sosialisasi = musdesus - timedelta(days=18 + i % 6)
        team = musdesus - timedelta(days=10 + i % 4)
        scheduled = musdesus  # the date the Musdesus is scheduled for (stage 3's evidence)
        plan[code] = {1: sosialisasi, 2: team, 3: scheduled, 4: musdesus, 5: musdesus, 6: booked, 7: deed, 8: sk}
    return plan


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), WITA)


def replay(*, admin, operators: dict[str, object]) -> int:
    """Advance every village of the demo programme to stage 8 on the reconstructed dates. Returns the number of
    verified moves written; 0 when the replay already ran (rerunnable)."""
    cases = {
        c.region_code: c
        for c in Cooperative.objects.filter(programme__name=PROGRAMME_NAME, is_active=True).order_by("region_code")
    }
    if not cases or StageMove.objects.filter(cooperative__in=cases.values(), source=SOURCE).exists():
        return 0
    # villages already moving on 11 May first (furthest stage first), then by code
    order = sorted(cases, key=lambda code: (-cases[code].stage, code))
    plan = _plan(order)
    written = 0
    for code in order:
        with transaction.atomic():
            written += _advance_village(cases[code], plan[code], admin=admin, submitter=operators.get(code, admin))
    return written


def _advance_village(case: Cooperative, dates: dict[int, date], *, admin, submitter) -> int:
    written = 0
    case.refresh_from_db()
    for stage in range(case.stage + 1, 9):
        case.refresh_from_db()
        known = [
            getattr(case, f)
            for f in (
                "sosialisasi_date",
                "team_formed_date",
                "musdesus_scheduled_date",
                "musdesus_date",
                "founding_meeting_date",
                "name_booked_date",
                "deed_date",
            )
        ]
        day = max([dates[stage], *[d for d in known if d]])
        submitted_at = max(_at(day, 9), case.updated_at + timedelta(minutes=30))
        files = [demo_pdf(f"Dokumen tahap {stage} {case.region_code}")] if stage in (4, 5, 7, 8) else []
        number = {
            2: f"141/{stage}/KEP-DS/2025",
            4: f"BA/{case.region_code[-4:]}/2025",
            5: f"BAP/{case.region_code[-4:]}",
            6: f"PN-{case.region_code[-4:]}",
            7: f"{10 + written}/{day:%m}/2025",
            8: f"AHU-{case.region_code[-4:]}.AH.01.29.2025",
        }.get(stage, "")
        submit_and_verify(
            case,
            stage,
            day,
            submitter=submitter,
            verifier=admin,
            submitted_at=submitted_at,
            verified_at=submitted_at + timedelta(hours=5),
            source=SOURCE,
            note=NOTE,
            number=number,
            files=files,
            pathway=Pathway.PENDIRIAN_BARU if stage == 4 else "",
        )
        written += 1
    return written
