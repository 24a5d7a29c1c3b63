"""Moving cases through the real services, then dating their history for the trend and stalled tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from kopdes.formation import counts
from kopdes.formation.models import Cooperative, StageMove
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.formation.workflow import MoveKind


def form(code: str, actor, at: datetime | None = None, stage: int = 8) -> Cooperative:
    """Advance the village's case to `stage`; with `at`, date its whole history (and last write) at that moment."""
    case = advance(case_for(code), stage, submitter=actor)
    if at is not None:
        StageMove.objects.filter(cooperative=case).update(at=at)
        Cooperative.objects.filter(pk=case.pk).update(updated_at=at)
        counts.rebuild()  # history written behind the services' back: the kept counts follow it
    return case


def age_everything(days: int) -> None:
    """Push all history back by `days` (the programme started long ago)."""
    then = timezone.now() - timedelta(days=days)
    StageMove.objects.filter(kind=MoveKind.CREATED).update(at=then)
    Cooperative.objects.update(updated_at=then)
    counts.rebuild()
