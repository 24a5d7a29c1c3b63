"""Reports fixtures: Paser's programme started (kopdes/formation/tests/conftest.py) and its periods made."""

from __future__ import annotations

import pytest

from kopdes.formation.tests.conftest import janju_scheduled, programme  # noqa: F401  (shared fixtures)
from kopdes.regions.models import Region
from kopdes.reports import selectors, services


@pytest.fixture
def period(programme):  # noqa: F811
    """The current period (containing today in Paser's calendar), opened by the scheduled job."""
    services.open_report_periods()
    return selectors.current_period(programme, programme.region.code)


@pytest.fixture
def batu_sopang(paser) -> Region:
    return Region.objects.get(code="64.01.01")


@pytest.fixture
def tanah_grogot(paser) -> Region:
    return Region.objects.get(code="64.01.04")
