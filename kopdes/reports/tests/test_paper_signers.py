"""The camat's report is the kecamatan's letter signed by its camat; the office's recap is signed by the Kepala Dinas
(each paper declares its issuer and signers)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.conftest import BATU_SOPANG, PASER
from kopdes.documents.models import IssuedPaper, IssuerKind, SignerRole
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


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages)


def test_the_camat_s_report_takes_its_number_from_the_kecamatan_s_register(camat_batu_sopang, programme, client):
    """Submitting takes the next number of the kecamatan's agenda surat keluar (kind "laporan-camat"); every download
    prints it with the date of submission; a draft prints DRAF; the next version is a letter of its own."""
    kecamatan = Region.objects.get(code=BATU_SOPANG)
    services.open_report_periods()
    period = selectors.current_period(programme, PASER)
    draft = services.save_draft(actor=camat_batu_sopang, kecamatan=kecamatan, period=period)
    assert draft.number == "DRAF — belum bernomor"
    assert not IssuedPaper.objects.exists()
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=kecamatan, period=period)
    paper = IssuedPaper.objects.get()
    assert (paper.issuer.kind, paper.issuer.region.code) == (IssuerKind.KECAMATAN, BATU_SOPANG)
    assert (paper.kind, paper.subject_key) == ("laporan-camat", f"report:{report.pk}")
    assert report.number == paper.number == "1/KEC/" + paper.number.split("/KEC/")[1]
    client.force_login(camat_batu_sopang)
    address = reverse("reports:report_pdf", kwargs={"pk": report.pk})
    first, second = (_pdf_text(client.get(address).content) for _ in range(2))
    assert paper.number in first and paper.number in second and "DRAF" not in first
    assert first == second
    assert IssuedPaper.objects.count() == 1

    again = services.start_new_version(actor=camat_batu_sopang, report=report)
    again = services.submit_report(actor=camat_batu_sopang, kecamatan=kecamatan, period=period)
    assert again.version == 2 and again.number != report.number
    assert again.issued.serial == paper.serial + 1
