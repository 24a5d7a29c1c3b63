"""The stage counts equal a recount from the history after a random sequence of moves through the services: forward,
returned, stepped back, imported with a back-dated evidence date, merged (within and across kecamatan), with the
nation in another zone than the province (its days end at another moment)."""

from __future__ import annotations

import random
import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.db.models import Count

from kopdes.conftest import PASER
from kopdes.formation import counts, services, workflow
from kopdes.formation.models import Cooperative, CooperativeVillage, Programme, StageSubmission
from kopdes.formation.tests.helpers import evidence_for
from kopdes.regions.models import Region

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
JAKARTA = "Asia/Jakarta"


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), WITA)


@pytest.fixture
def started(paser, admin_dinas, settings) -> Programme:
    settings.TIME_ZONE = JAKARTA  # the nation's days end an hour after Paser's
    programme = Programme.objects.create(region=paser, name="Uji", start_date=date(2025, 4, 1))
    services.start_programme(actor=admin_dinas, programme=programme, at=at(date(2025, 4, 1)))
    return programme


def history_figures(code: str, day: date, zone: str) -> dict[int, tuple[int, int]]:
    """Cooperatives and villages per stage at the end of `day` (local in `zone`), from the history alone: the
    dashboards' own "per tanggal" query (filtered_members), independent of formation.counts."""
    from kopdes.dashboards.selectors import filtered_members

    before = datetime.combine(day + timedelta(days=1), time(0), zoneinfo.ZoneInfo(zone))
    members = filtered_members(code or None, before=before)
    villages = dict(members.values_list("st").annotate(n=Count("id")).order_by())
    cooperatives = dict(members.values_list("st").annotate(n=Count("cooperative_id", distinct=True)).order_by())
    return {s: (cooperatives[s], villages[s]) for s in villages}


def table_figures(code: str, day: date, zone: str) -> dict[int, tuple[int, int]]:
    from kopdes.formation.models import StageCountDay

    found: dict[int, list[int]] = {}
    for s, c, v in StageCountDay.objects.filter(region_code=code, zone=zone, day__lte=day).values_list(
        "stage", "cooperatives", "villages"
    ):
        row = found.setdefault(s, [0, 0])
        row[0] += c
        row[1] += v
    return {s: (c, v) for s, (c, v) in found.items() if c or v}


def random_history(admin, rng: random.Random, steps: int) -> None:
    when = at(date(2025, 4, 2), 9)
    for _ in range(steps):
        when += timedelta(hours=rng.choice([1, 3, 7, 15, 23, 40]), minutes=rng.randint(0, 59))
        active = list(Cooperative.objects.filter(is_active=True).order_by("pk"))
        case = rng.choice(active)
        pending = StageSubmission.objects.filter(cooperative=case, status="pending").first()
        choice = rng.random()
        if pending is not None:
            if choice < 0.7:
                services.verify_submission(actor=admin, submission=pending, at=when)
            else:
                services.return_submission(actor=admin, submission=pending, reason="kurang", at=when)
        elif choice < 0.4 and case.stage < 10:
            stage = case.stage + 1
            evidence = evidence_for(stage)
            evidence["evidence_date"] = min(when.date(), evidence["evidence_date"])
            services.submit_stage(
                actor=admin, cooperative=case, version=case.version, stage=stage, at=when, **_dated(evidence, case)
            )
        elif choice < 0.6 and case.stage < 10:
            stage = case.stage + rng.randint(1, 2)
            stage = min(stage, 10)
            date_field = workflow.stage(stage).date_field
            back = when.date() - timedelta(days=rng.randint(0, 30))
            fields = {date_field: back} if date_field else {}
            services.import_stage(actor=admin, cooperative=case, stage=stage, fields=fields, source="uji.xlsx", at=when)
        elif choice < 0.75 and case.stage > 0:
            services.step_back(
                actor=admin,
                cooperative=case,
                version=case.version,
                stage=rng.randint(0, case.stage - 1),
                reason="koreksi",
                at=when,
            )
        elif choice < 0.85:
            same = [c for c in active if c.pk != case.pk and c.region_code[:8] == case.region_code[:8]]
            other = [c for c in active if c.pk != case.pk]
            pool = same if same and rng.random() < 0.6 else other
            others = [o for o in rng.sample(pool, 1) if not o.submissions.filter(status="pending").exists()]
            if others:
                services.merge_cooperatives(actor=admin, target=case, others=others, reason="gabung", at=when)


def _dated(evidence: dict, case) -> dict:
    known = [getattr(case, s.date_field) for s in workflow.STAGES if s.date_field and getattr(case, s.date_field)]
    if known:
        evidence["evidence_date"] = max(evidence["evidence_date"], *known)
    return evidence


@pytest.mark.parametrize("seed", [1, 7])
def test_the_tables_equal_a_recount_after_random_moves(started, admin_dinas, seed):
    rng = random.Random(seed)
    random_history(admin_dinas, rng, 160)
    assert CooperativeVillage.objects.filter(left_at__isnull=False).exists()  # merges happened

    assert counts.stored() == counts.recount()

    kecamatan = sorted({c[:8] for c in Cooperative.objects.values_list("region_code", flat=True)})[:3]
    for day in [date(2025, 4, 1), date(2025, 4, 9), date(2025, 4, 20), date(2025, 5, 10), date(2025, 7, 1)]:
        for code, zone in [
            ("", JAKARTA),
            ("64", JAKARTA),
            ("64", "Asia/Makassar"),
            (PASER, "Asia/Makassar"),
            *[(k, "Asia/Makassar") for k in kecamatan],
        ]:
            assert table_figures(code, day, zone) == history_figures(code, day, zone), (code, day, zone)


def test_rebuild_gives_the_same_tables(started, admin_dinas):
    random_history(admin_dinas, random.Random(3), 60)
    kept = counts.stored()
    counts.rebuild()
    assert counts.stored() == kept


def test_todays_counts_follow_the_records(started, admin_dinas):
    from kopdes.formation.models import StageCount

    random_history(admin_dinas, random.Random(5), 80)
    expected = dict(Cooperative.objects.filter(is_active=True).values_list("stage").annotate(n=Count("id")).order_by())
    national = {s: c for s, c in StageCount.objects.filter(region_code="").values_list("stage", "cooperatives") if c}
    assert national == expected
    assert Region.objects.filter(code=PASER).exists()
