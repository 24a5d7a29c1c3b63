"""Registry fixtures: the Paser programme started (formation's `programme`), Janju's cooperative, a pengurus user."""

from __future__ import annotations

from datetime import date

import pytest

from kopdes.accounts.roles import Role
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the fixture, reused)
from kopdes.formation.tests.helpers import case_for
from kopdes.tests.factories import make_user


def nik(region6: str, born: date, *, female: bool = False, serial: int = 1) -> str:
    """A well-formed NIK registered in `region6` (six digits) for a person born on `born`."""
    day = born.day + (40 if female else 0)
    return f"{region6}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


TANAH_GROGOT_NIK = "640104"  # Janju's kecamatan
BATU_SOPANG_NIK = "640101"


@pytest.fixture
def janju(programme):  # noqa: F811
    return case_for(JANJU)


@pytest.fixture
def sungai_terik(programme):  # noqa: F811
    return case_for(SUNGAI_TERIK)


@pytest.fixture
def pengurus_janju(paser):
    return make_user("pengurus.janju", Role.PENGURUS, JANJU)
