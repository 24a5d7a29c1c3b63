"""Returns fixtures: Paser's programme started, Janju's and Sungai Terik's cooperatives each running open units, a
BA of Paser assigned to Janju only, Janju's board, and the months of 2026 opened up to today."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from kopdes.accounts.roles import Role
from kopdes.conftest import JANJU, PASER, SUNGAI_TERIK
from kopdes.cooperatives.models import Outlet, OutletStatus
from kopdes.formation.models import BusinessUnit
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the fixture, reused)
from kopdes.formation.tests.helpers import case_for
from kopdes.returns import services
from kopdes.returns.models import AssistantAssignment
from kopdes.tests.factories import make_user


def open_units(cooperative, *names: str) -> list[Outlet]:
    found = []
    for name in names:
        unit, _ = BusinessUnit.objects.get_or_create(name=name)
        found.append(
            Outlet.objects.create(
                cooperative=cooperative, unit=unit, status=OutletStatus.OPEN, updated_at=timezone.now()
            )
        )
    return found


@pytest.fixture
def months(db):
    services.ensure_periods(until=timezone.localdate())


@pytest.fixture
def janju(programme, months):  # noqa: F811
    cooperative = case_for(JANJU)
    cooperative.units = open_units(cooperative, "Gerai sembako", "Gerai LPG")
    return cooperative


@pytest.fixture
def sungai_terik(programme, months):  # noqa: F811
    cooperative = case_for(SUNGAI_TERIK)
    cooperative.units = open_units(cooperative, "Gerai sembako")
    return cooperative


@pytest.fixture
def ba(paser):
    return make_user("ba.paser", Role.BUSINESS_ASSISTANT, PASER)


@pytest.fixture
def ba_on_janju(ba, janju, admin_dinas):
    AssistantAssignment.objects.create(
        assistant=ba,
        cooperative=janju,
        region_code=janju.region_code,
        started_on=date(2026, 1, 5),
        assigned_by=admin_dinas,
    )
    return ba


@pytest.fixture
def pmo(paser):
    return make_user("pmo.paser", Role.PMO, PASER)


@pytest.fixture
def pengurus_janju(paser):
    return make_user("pengurus.janju", Role.PENGURUS, JANJU)
