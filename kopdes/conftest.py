"""Shared test fixtures: Paser's region tree and a small cast of users, one per role."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from kopdes.accounts.roles import Role
from kopdes.regions.importer import import_regions
from kopdes.regions.models import Region
from kopdes.tests.factories import make_user

pytest_plugins = ["kopdes.tests.browser"]

# Everything the tests read is in the repository (never beside it): a clone alone runs the whole suite.
# Paser's outlines (MIT, data/wilayah/paser/LICENSE-cahyadsn.txt), the made-up field cases and the office sample sheet.
WILAYAH_PASER = Path(settings.BASE_DIR) / "data" / "wilayah" / "paser"
FIXTURES = Path(settings.BASE_DIR) / "kopdes" / "tests" / "fixtures"
CASES = FIXTURES / "cases"
OFFICE_SAMPLE = FIXTURES / "contoh-lembar-kantor.xlsx"

BATU_SOPANG = "64.01.01"
TANAH_GROGOT = "64.01.04"
JANJU = "64.01.04.2002"
SUNGAI_TERIK = "64.01.01.2013"
PASER = "64.01"


@pytest.fixture
def paser(db) -> Region:
    """Kabupaten Paser with its 10 kecamatan and 144 villages, from the npm package (as `make run` loads it)."""
    if not Region.objects.filter(code=PASER).exists():
        import_regions(directory=settings.REGION_NPM_DATA_DIR, decree="test", prefix=PASER)
    return Region.objects.get(code=PASER)


@pytest.fixture
def admin_dinas(paser):
    return make_user("admin.dinas", Role.ADMIN_DINAS, PASER)


@pytest.fixture
def pimpinan(paser):
    return make_user("pimpinan", Role.PIMPINAN, PASER)


@pytest.fixture
def mitra(paser):
    return make_user("mitra", Role.MITRA, PASER)


@pytest.fixture
def camat_batu_sopang(paser):
    return make_user("camat.batusopang", Role.CAMAT, BATU_SOPANG)


@pytest.fixture
def camat_tanah_grogot(paser):
    return make_user("camat.tanahgrogot", Role.CAMAT, TANAH_GROGOT)


@pytest.fixture
def operator_janju(paser):
    return make_user("operator.janju", Role.OPERATOR_DESA, JANJU)


@pytest.fixture
def operator_sungai_terik(paser):
    return make_user("operator.sungaiterik", Role.OPERATOR_DESA, SUNGAI_TERIK)


@pytest.fixture
def pendamping(paser):
    return make_user("pendamping", Role.PENDAMPING, TANAH_GROGOT)


@pytest.fixture
def business_assistant(paser):
    """A Business Assistant of Paser: its role on the regency, its work on the cooperatives assigned to it."""
    return make_user("ba.paser", Role.BUSINESS_ASSISTANT, PASER)


@pytest.fixture
def pmo(paser):
    return make_user("pmo.paser", Role.PMO, PASER)


@pytest.fixture
def users_by_role(admin_dinas, pimpinan, mitra, camat_batu_sopang, operator_janju, pendamping, business_assistant, pmo):
    return {
        Role.ADMIN_DINAS: admin_dinas,
        Role.PIMPINAN: pimpinan,
        Role.MITRA: mitra,
        Role.CAMAT: camat_batu_sopang,
        Role.OPERATOR_DESA: operator_janju,
        Role.PENDAMPING: pendamping,
        Role.BUSINESS_ASSISTANT: business_assistant,
        Role.PMO: pmo,
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load Paser once per test session: `paser` then finds it and skips the import (a whole import in every test would
    make the suite slow). The state a test sees is the same as after `paser` imported it (one edition, one audit entry);
    tests that need an empty tree delete it inside their own transaction."""
    with django_db_blocker.unblock():
        if not Region.objects.filter(code=PASER).exists():
            import_regions(directory=settings.REGION_NPM_DATA_DIR, decree="test", prefix=PASER)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Test users are made by the dozen; the production hasher's deliberate slowness would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
