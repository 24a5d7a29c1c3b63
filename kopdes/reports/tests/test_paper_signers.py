"""The camat's report is the kecamatan's letter signed by its camat; the office's recap is signed by the Kepala Dinas
(issue 15)."""

from __future__ import annotations

import pytest

from kopdes.conftest import BATU_SOPANG, PASER
from kopdes.documents.models import IssuerKind, SignerRole
from kopdes.documents.selectors import issuer_for
from kopdes.documents.services import save_signer
from kopdes.regions.models import Region
from kopdes.reports import documents, selectors, services

pytestmark = pytest.mark.django_db


def test_the_camat_s_report_is_under_the_kecamatan_and_signed_by_the_camat(camat_batu_sopang, programme):
    kecamatan = Region.objects.get(code=BATU_SOPANG)
    save_signer(
        actor=camat_batu_sopang,
        issuer=issuer_for(IssuerKind.KECAMATAN, kecamatan),
        role=SignerRole.CAMAT,
        name="Drs. Junaidi",
        position="Camat Batu Sopang",
        rank="Pembina (IV/a)",
        nip="197001012000031002",
    )
    services.open_report_periods()
    period = selectors.current_period(programme, PASER)
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=kecamatan, period=period)
    context = documents.report_context(report)
    assert context["letterhead"].office == "KECAMATAN BATU SOPANG"
    assert context["sign_place"] == "Batu Sopang"
    assert context["signatures"] == [
        {
            "title": "Camat Batu Sopang",
            "name": "Drs. Junaidi",
            "rank": "Pembina (IV/a)",
            "nip": "19700101 200003 1 002",
            "missing": False,
        }
    ]
    assert documents.report_pdf(report).startswith(b"%PDF")


def test_the_recap_is_signed_by_the_kepala_dinas(admin_dinas, programme, paser):
    save_signer(
        actor=admin_dinas,
        issuer=issuer_for(IssuerKind.OFFICE, paser),
        role=SignerRole.KEPALA_DINAS,
        name="Ir. Sutrisno",
        position="Kepala Dinas Koperasi dan Usaha Mikro",
        nip="196805121995031003",
    )
    context = documents.recap_context(paser)
    (head,) = context["signatures"]
    assert (head["name"], head["nip"]) == ("Ir. Sutrisno", "19680512 199503 1 003")
    assert context["sign_place"] == "Paser"


def test_a_recap_without_a_head_prints_a_blank_line(admin_dinas, programme, paser):
    (head,) = documents.recap_context(paser)["signatures"]
    assert head["missing"] and head["name"] == "" and head["title"] == "Kepala Dinas"
