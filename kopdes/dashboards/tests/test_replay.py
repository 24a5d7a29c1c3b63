"""`manage.py demo` (the replay is always loaded now; `--replay` is kept for old scripts): Paser's reported milestones
hold in the replayed history, shown as a reconstruction."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.conftest import PASER
from kopdes.dashboards.replay import SOURCE
from kopdes.formation.models import Cooperative, StageMove
from kopdes.tests.demo import run_demo


def test_the_replay_reaches_the_reported_milestones(paser, client, settings):
    settings.LANGUAGE_CODE = "en"
    run_demo(replay=True)

    cases = Cooperative.objects.filter(is_active=True)
    assert cases.count() == 144
    assert cases.filter(musdesus_date__lte=date(2025, 5, 11)).count() == 2  # six in Musdesus on 11 May, two held
    assert cases.filter(musdesus_date__lte=date(2025, 5, 28)).count() == 144
    assert cases.filter(name_booked_date__lte=date(2025, 5, 28)).count() == 35
    assert cases.filter(sk_ahu_date__lte=date(2025, 5, 28)).count() == 8
    assert cases.filter(stage__gte=8, sk_ahu_date__lte=date(2025, 7, 4)).count() == 144
    assert not cases.filter(sk_ahu_date__gt=date(2025, 7, 4)).exists()  # the story after formation keeps these
    assert StageMove.objects.filter(source=SOURCE).exists()
    # rerunnable: a second run adds nothing
    moves = StageMove.objects.count()
    run_demo(replay=True)
    assert StageMove.objects.count() == moves

    client.force_login(User.objects.get(username="admin.dinas"))
    response = client.get(reverse("dashboards:region", args=[PASER]))
    assert 'data-testid="reconstruction"' in response.content.decode()
    o = response.context["o"]
    assert o.projection.reached_on is not None and o.projection.reached_on <= date(2025, 6, 30)
    assert 'data-testid="reconstruction"' in client.get(reverse("dashboards:public", args=[PASER])).content.decode()
