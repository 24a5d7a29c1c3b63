"""The read-only partner (mitra) follows progress without personal data: no names of people, no documents."""

import pytest

from kopdes.conftest import JANJU
from kopdes.formation.tests.helpers import case_for, pdf, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def janju_with_evidence(programme, admin_dinas, operator_janju):
    submit(operator_janju, case_for(JANJU), 1, files=[pdf("foto-sosialisasi.pdf")])
    return case_for(JANJU)


def test_mitra_sees_progress_but_no_names_or_documents(client, mitra, janju_with_evidence, operator_janju):
    client.force_login(mitra)
    pages = [
        client.get("/dasbor/64.01/").content.decode(),
        client.get(f"/koperasi/{janju_with_evidence.pk}/").content.decode(),
    ]

    for html in pages:
        assert operator_janju.full_name not in html
        assert "foto-sosialisasi.pdf" not in html
        assert "/berkas/" not in html
    assert "Desa Janju" in pages[0]


def test_pimpinan_sees_who_submitted_and_the_document(client, pimpinan, janju_with_evidence, operator_janju):
    client.force_login(pimpinan)
    html = client.get(f"/koperasi/{janju_with_evidence.pk}/").content.decode()

    assert operator_janju.full_name in html
    assert "foto-sosialisasi.pdf" in html
