"""The demo command fills three cooperatives' registry through the services, and a rerun adds nothing."""

from __future__ import annotations

import pytest

from kopdes.cooperatives.demo import JANJU
from kopdes.cooperatives.models import AnnualMeeting, BoardMember, HealthSnapshot, Member, Outlet
from kopdes.formation.tests.helpers import case_for
from kopdes.tests.demo import run_demo

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (BoardMember, Member, Outlet, AnnualMeeting, HealthSnapshot))


def test_demo_registry_is_loaded_once(paser):
    run_demo()
    janju = case_for(JANJU)
    assert Member.objects.filter(cooperative=janju).count() >= 20
    assert BoardMember.objects.filter(cooperative=janju).count() == 8  # the board its Musdesus elected
    assert janju.npwp and Outlet.objects.filter(cooperative=janju, latitude__isnull=False).exists()
    assert AnnualMeeting.objects.filter(cooperative=janju, held=True).exists()
    before = counts()

    run_demo()

    assert counts() == before
