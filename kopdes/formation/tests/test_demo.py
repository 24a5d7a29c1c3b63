"""The demo loader: the source article's state of 11 May 2025, placed on its dates through the real services."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from kopdes.audit.models import AuditEntry
from kopdes.formation.demo import HELD, SIX
from kopdes.formation.models import Cooperative, EvidenceFile, Programme, StageMove, StageSubmission
from kopdes.formation.tests.helpers import case_for
from kopdes.formation.workflow import MoveKind, SubmissionStatus

WITA = ZoneInfo("Asia/Makassar")


def load_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(paser) -> str:
    return load_demo()


def test_demo_programme_has_the_articles_target(demo):
    programme = Programme.objects.get()
    target = programme.targets.get()

    assert (target.count, target.deadline) == (60, date(2025, 6, 30))
    assert programme.threshold_percent == 80
    assert programme.region.code == "64.01"
    assert Cooperative.objects.filter(programme=programme).count() == 144


def test_the_six_article_villages_have_their_musdesus_scheduled_or_held(demo):
    stages = {code: case_for(code).stage for code in SIX}

    assert all(stage >= 3 for stage in stages.values())
    assert sorted(code for code, stage in stages.items() if stage == 4) == sorted(HELD)
    for code, held in HELD.items():
        assert case_for(code).musdesus_date == held
        assert case_for(code).files.count() == 1


def test_demo_history_happened_in_april_and_may_2025(demo):
    first, last = datetime(2025, 4, 1, tzinfo=WITA), datetime(2025, 5, 12, tzinfo=WITA)

    moves = StageMove.objects.all()
    assert all(first <= move.at < last for move in moves)
    assert set(moves.values_list("source", flat=True)) == {"demo"}
    held = StageMove.objects.filter(kind=MoveKind.VERIFIED, to_stage=4)
    assert held.count() == 2
    assert all(move.at.astimezone(WITA).date() >= date(2025, 5, 1) for move in held)
    assert not StageSubmission.objects.filter(status=SubmissionStatus.PENDING).exists()


def test_janjus_demo_evidence_was_submitted_by_its_operator(demo):
    submissions = StageSubmission.objects.filter(cooperative=case_for("64.01.04.2002"))

    assert set(submissions.values_list("submitted_by__username", flat=True)) == {"operator.janju"}
    assert set(submissions.values_list("decided_by__username", flat=True)) == {"admin.dinas"}


def test_rerunning_the_demo_changes_nothing(demo):
    def counts():
        return (
            Programme.objects.count(),
            Cooperative.objects.count(),
            StageSubmission.objects.count(),
            StageMove.objects.count(),
            EvidenceFile.objects.count(),
            AuditEntry.objects.filter(action__startswith="formation.").count(),
        )

    before = counts()
    output = load_demo()

    assert counts() == before
    assert "operator.janju" in output


def test_demo_history_of_each_case_is_in_order(demo):
    """Each move happens after the one before it: no stage submitted before the previous one was verified."""
    for code in SIX:
        moves = list(StageMove.objects.filter(cooperative=case_for(code)).order_by("id"))
        times = [move.at for move in moves]
        assert times == sorted(times), [(m.kind, m.to_stage, m.at.astimezone(WITA)) for m in moves]
        assert len(set(times)) == len(times), [(m.kind, m.to_stage, m.at.astimezone(WITA)) for m in moves]


def test_demo_submissions_follow_the_previous_verification(demo):
    for code in SIX:
        submissions = list(StageSubmission.objects.filter(cooperative=case_for(code)).order_by("stage"))
        for earlier, later in zip(submissions, submissions[1:], strict=False):
            assert earlier.decided_at < later.submitted_at, (code, earlier.stage, later.stage)
