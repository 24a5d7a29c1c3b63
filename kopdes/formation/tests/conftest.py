"""Formation fixtures: the Paser programme started, so every one of the 144 villages has a cooperative at stage 0."""

from __future__ import annotations

from datetime import date

import pytest

from kopdes.conftest import JANJU
from kopdes.formation import services
from kopdes.formation.models import Cooperative, Programme, ProgrammeTarget
from kopdes.formation.tests.helpers import advance, case_for


@pytest.fixture
def programme(paser, admin_dinas) -> Programme:
    """Paser's programme as in the source article: 60 cooperatives by 30 June 2025, 80 % threshold."""
    programme = Programme.objects.create(
        region=paser,
        name="Percepatan Pembentukan KDKMP Kabupaten Paser",
        legal_basis="Inpres No. 9 Tahun 2025",
        threshold_percent=80,
        start_date=date(2025, 4, 1),
    )
    ProgrammeTarget.objects.create(
        programme=programme, count=60, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 1)
    )
    services.start_programme(actor=admin_dinas, programme=programme)
    return programme


@pytest.fixture
def janju_scheduled(programme, admin_dinas) -> Cooperative:
    """Janju with its Musdesus scheduled (stage 3, verified), ready for the Berita Acara."""
    return advance(case_for(JANJU), 3, submitter=admin_dinas)
