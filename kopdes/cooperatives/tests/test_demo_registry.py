"""The demo command fills three cooperatives' registry through the services, and a rerun adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from kopdes.cooperatives.demo import JANJU
from kopdes.cooperatives.models import AnnualMeeting, BoardMember, HealthSnapshot, Member, Outlet
from kopdes.formation.tests.helpers import case_for

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (BoardMember, Member, Outlet, AnnualMeeting, HealthSnapshot))


def test_demo_registry_is_loaded_once(paser):
    call_command("demo", stdout=StringIO())
    janju = case_for(JANJU)
    assert Member.objects.filter(cooperative=janju).count() >= 20
    assert janju.npwp and Outlet.objects.filter(cooperative=janju, latitude__isnull=False).exists()
    assert AnnualMeeting.objects.filter(cooperative=janju, held=True).exists()
    before = counts()

    call_command("demo", stdout=StringIO())

    assert counts() == before
