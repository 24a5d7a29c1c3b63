"""The demo's history holds the source article's state of 11 May 2025, on its dates, through the real services; the
story then goes on to today (kopdes/web/demo_story.py), so the article's facts are read as of 11 May 2025."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from kopdes.audit.models import AuditEntry
from kopdes.formation.demo import HELD, SIX, SOSIALISASI_ONLY
from kopdes.formation.models import Cooperative, EvidenceFile, Programme, StageMove, StageSubmission, move_time
from kopdes.formation.tests.helpers import case_for
from kopdes.formation.workflow import MoveKind
from kopdes.tests.demo import run_demo

WITA = ZoneInfo("Asia/Makassar")
ARTICLE_DAY_END = datetime(2025, 5, 12, tzinfo=WITA)  # the end of 11 May 2025 in Paser


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        run_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def as_of_article(case: Cooperative) -> int:
    """The case's stage at the end of 11 May 2025, from its history."""
    move = (
        StageMove.objects.filter(cooperative=case, kind=MoveKind.VERIFIED)
        .annotate(when=move_time())
        .filter(when__lt=ARTICLE_DAY_END)
        .order_by("when", "id")
        .last()
    )
    return move.to_stage if move else 0


def test_demo_programme_has_the_articles_target(demo, db):
    programme = Programme.objects.get()
    target = programme.targets.get()

    assert (target.count, target.deadline) == (60, date(2025, 6, 30))
    assert programme.threshold_percent == 80
    assert programme.region.code == "64.01"
    assert Cooperative.objects.filter(programme=programme).count() == 144


def test_on_11_may_2025_the_six_article_villages_had_their_musdesus_scheduled_or_held(demo, db):
    stages = {code: as_of_article(case_for(code)) for code in SIX}

    assert all(stage >= 3 for stage in stages.values())
    assert sorted(code for code, stage in stages.items() if stage == 4) == sorted(HELD)
    for code, held in HELD.items():
        assert case_for(code).musdesus_date == held
        berita_acara = StageSubmission.objects.get(cooperative=case_for(code), stage=4)
        assert berita_acara.files.count() == 1


def test_the_history_up_to_11_may_2025_is_the_articles(demo, db):
    """The article's moves (source "demo") all lie in April–11 May 2025; the reconstruction may have other villages
    in sosialisasi or forming their team by then, but no other village reached its Musdesus schedule (stage 3)."""
    before = StageMove.objects.annotate(when=move_time()).filter(when__lt=ARTICLE_DAY_END)
    article = StageMove.objects.filter(source="demo", kind=MoveKind.VERIFIED)

    assert all(datetime(2025, 4, 1, tzinfo=WITA) <= move.at for move in before)
    assert all(move.at < ARTICLE_DAY_END for move in article)
    assert set(article.values_list("cooperative__region_code", flat=True)) <= {*SIX, *SOSIALISASI_ONLY}
    scheduled = before.filter(kind=MoveKind.VERIFIED, to_stage=3)
    reached_3 = set(scheduled.values_list("cooperative__region_code", flat=True))
    assert reached_3 == set(SIX)
    assert before.filter(kind=MoveKind.VERIFIED, to_stage=4).count() == 2
    assert not StageSubmission.objects.filter(submitted_at__lt=ARTICLE_DAY_END, decided_at__gte=ARTICLE_DAY_END)


def test_janjus_demo_evidence_was_submitted_by_its_operator(demo, db):
    submissions = StageSubmission.objects.filter(cooperative=case_for("64.01.04.2002"))

    assert set(submissions.values_list("submitted_by__username", flat=True)) == {"operator.janju"}
    assert set(submissions.values_list("decided_by__username", flat=True)) == {"admin.dinas"}


def test_rerunning_the_demo_changes_nothing(demo, db):
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
    output = run_demo()

    assert counts() == before
    assert "loaded" not in output and "submitted." not in output


def test_demo_history_of_each_case_is_in_order(demo, db):
    """Each move happens after the one before it: no stage submitted before the previous one was verified."""
    for code in SIX:
        moves = list(StageMove.objects.filter(cooperative=case_for(code)).order_by("id"))
        times = [move.at for move in moves]
        assert times == sorted(times), [(m.kind, m.to_stage, m.at.astimezone(WITA)) for m in moves]
        assert len(set(times)) == len(times), [(m.kind, m.to_stage, m.at.astimezone(WITA)) for m in moves]


def test_demo_submissions_follow_the_previous_verification(demo, db):
    for code in SIX:
        submissions = list(StageSubmission.objects.filter(cooperative=case_for(code)).order_by("stage"))
        for earlier, later in zip(submissions, submissions[1:], strict=False):
            assert earlier.decided_at < later.submitted_at, (code, earlier.stage, later.stage)
