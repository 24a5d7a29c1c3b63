"""The Musdesus papers declare their issuer and signers, take their number when issued, and keep the signature block
with the closing lines of the body (issue 15)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.documents.models import IssuedPaper, IssuerKind, PaperDraft, SignerRole
from kopdes.documents.selectors import issuer_for
from kopdes.documents.services import save_signer
from kopdes.formation.models import Musdesus
from kopdes.formation.musdesus import documents
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.regions.models import Kind, Region
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.django_db

LURAH_NIP = "198609262015051001"


def url(name: str, case, **kwargs) -> str:
    return reverse(f"formation:{name}", kwargs={"pk": case.pk, **kwargs})


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


def pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def sign(actor, kind, region, role, name, position, nip=""):
    return save_signer(
        actor=actor, issuer=issuer_for(kind, region), role=role, name=name, position=position, nip=nip, rank=""
    )


@pytest.fixture
def janju(programme, admin_dinas, operator_janju):
    case = advance(case_for(JANJU), 3, submitter=admin_dinas)
    data.record_valid(operator_janju, case)
    case.refresh_from_db()
    return case


@pytest.fixture
def signed(janju, operator_janju):
    village = Region.objects.get(code=JANJU)
    sign(operator_janju, IssuerKind.BPD, village, SignerRole.KETUA_BPD, "Hasan Basri", "Ketua BPD Janju")
    sign(operator_janju, IssuerKind.DESA, village, SignerRole.KEPALA_DESA, "Abdul Ghoffar", "Kepala Desa Janju")
    Musdesus.objects.filter(cooperative=janju).update(community_representative="Haji Usman")
    return janju


@pytest.fixture
def operator(client, operator_janju):
    client.force_login(operator_janju)
    return client


def test_the_invitation_comes_from_the_bpd_signed_by_its_chair_at_the_village(operator, signed):
    text = docx_text(operator.get(url("musdesus_document", signed, slug="undangan", fmt="docx")).content)
    assert "BADAN PERMUSYAWARATAN DESA JANJU" in text
    assert "DINAS KOPERASI" not in text
    assert "Hasan Basri" in text and "Ketua BPD Janju" in text
    assert "NIP" not in text  # a BPD chair is no civil servant
    assert "Janju, " in text and "Paser," not in text
    assert "DRAF — belum bernomor" in text  # not issued yet


def test_berita_acara_has_three_signers_and_the_meeting_date(operator, signed):
    context = documents.berita_acara_context(signed)
    assert context["letterhead"]["office"] == "BADAN PERMUSYAWARATAN DESA JANJU"
    assert [s["name"] for s in context["signatures"]] == ["Hasan Basri", "Abdul Ghoffar", "Haji Usman"]
    assert context["sign_date"] == "14 Mei 2025"  # the meeting's date, not today
    text = docx_text(operator.get(url("musdesus_document", signed, slug="berita-acara", fmt="docx")).content)
    for expected in ("Hasan Basri", "Abdul Ghoffar", "Haji Usman", "Wakil Masyarakat", "14 Mei 2025"):
        assert expected in text, expected


def test_team_decree_is_the_kepala_desa_s_under_the_desa_letterhead(operator, signed):
    context = documents.team_decree_context(signed)
    assert context["letterhead"]["office"] == "DESA JANJU"
    assert context["signatures"] == [
        {"title": "Kepala Desa Janju", "name": "Abdul Ghoffar", "rank": "", "nip": "", "missing": False}
    ]
    assert context["sign_place"] == "Janju"


def test_attendance_list_is_under_the_bpd(signed):
    context = documents.attendance_context(signed)
    assert context["letterhead"]["office"] == "BADAN PERMUSYAWARATAN DESA JANJU"
    assert context["signatures"][0]["name"] == "Hasan Basri"


def test_a_missing_signer_prints_a_blank_line_and_the_page_says_so(operator, janju):
    context = documents.invitation_context(janju)
    assert context["signatures"][0]["name"] == "" and context["signatures"][0]["missing"]
    assert "(....................................)" in docx_text(
        operator.get(url("musdesus_document", janju, slug="undangan", fmt="docx")).content
    )
    page = operator.get(url("musdesus", janju)).content.decode()
    assert 'data-testid="missing-signer"' in page
    assert "Penandatangan belum diisi" in page and "isi di Kop surat" in page
    assert f"/kop-surat/{JANJU}/bpd/" in page


def test_issue_numbers_the_paper_and_every_download_keeps_number_and_date(operator, signed):
    page_url = url("musdesus_paper", signed, slug="undangan")
    form = operator.get(page_url).context["form"]
    response = operator.post(page_url, {"date_of_issue": "2025-05-02", "dibaca": form["dibaca"].value()})
    assert response.status_code == 302
    assert PaperDraft.objects.get().planned_date == date(2025, 5, 2)
    assert not IssuedPaper.objects.exists()

    assert operator.post(url("musdesus_issue", signed, slug="undangan")).status_code == 302
    paper = IssuedPaper.objects.get()
    assert paper.issuer.kind == IssuerKind.BPD
    assert paper.date_of_issue == date(2025, 5, 2)  # the planned date, not today
    assert paper.number == "1/BPD/V/2025"
    page = operator.get(page_url).content.decode()
    assert paper.number in page and "2 Mei 2025" in page

    first = docx_text(operator.get(url("musdesus_document", signed, slug="undangan", fmt="docx")).content)
    operator.post(url("musdesus_issue", signed, slug="undangan"))  # issuing again changes nothing
    second = docx_text(operator.get(url("musdesus_document", signed, slug="undangan", fmt="docx")).content)
    for text in (first, second):
        assert paper.number in text and "2 Mei 2025" in text and "DRAF" not in text
    assert IssuedPaper.objects.count() == 1
    pages = pdf_pages(operator.get(url("musdesus_document", signed, slug="undangan", fmt="pdf")).content)
    assert paper.number in pages[0] and "DRAF" not in pages[0]


def test_the_date_is_frozen_once_issued(operator, signed, operator_janju):
    operator.post(url("musdesus_issue", signed, slug="sk-tim"))
    paper = IssuedPaper.objects.get()
    assert paper.issuer.kind == IssuerKind.DESA
    page_url = url("musdesus_paper", signed, slug="sk-tim")
    assert operator.get(page_url).context["form"] is None  # no date form after issue
    response = operator.post(page_url, {"date_of_issue": "2025-01-01"}, follow=True)
    assert "tidak dapat diubah lagi" in response.content.decode() or "can no longer change" in response.content.decode()
    with pytest.raises(ValidationError):
        documents.plan(signed, "sk-tim", date(2025, 1, 1), operator_janju, read=None)
    paper.refresh_from_db()
    assert paper.date_of_issue != date(2025, 1, 1)


def test_the_berita_acara_is_issued_on_the_meeting_date(operator, signed):
    assert operator.get(url("musdesus_paper", signed, slug="berita-acara")).context["form"] is None
    operator.post(url("musdesus_issue", signed, slug="berita-acara"))
    assert IssuedPaper.objects.get().date_of_issue == date(2025, 5, 14)


def test_a_kelurahan_s_papers_are_the_lurah_s_with_his_nip(programme, admin_dinas, client):
    kelurahan = Region.objects.filter(kind=Kind.KELURAHAN, code__startswith="64.01.").first()
    operator = make_user("operator.kel", "operator_desa", kelurahan.code)
    case = case_for(kelurahan.code)
    data.record_valid(admin_dinas, case)
    sign(
        operator, IssuerKind.KELURAHAN, kelurahan, SignerRole.LURAH, "Drs. Rahmat", f"Lurah {kelurahan.name}", LURAH_NIP
    )
    sign(operator, IssuerKind.KELURAHAN, kelurahan, SignerRole.KETUA_LPMK, "Yusuf", f"Ketua LPMK {kelurahan.name}")
    client.force_login(operator)
    for slug in ("undangan", "sk-tim"):
        text = docx_text(client.get(url("musdesus_document", case, slug=slug, fmt="docx")).content)
        assert f"KELURAHAN {kelurahan.name.upper()}" in text
        assert "Drs. Rahmat" in text and "NIP. 19860926 201505 1 001" in text, slug
    berita_acara = documents.berita_acara_context(case)
    assert [s["name"] for s in berita_acara["signatures"]][:2] == ["Drs. Rahmat", "Yusuf"]
    assert berita_acara["meeting"] == "Musyawarah Kelurahan Khusus"


@pytest.mark.parametrize("lines", [0, 6, 12, 18, 24, 30])
def test_the_signatures_never_stand_alone_on_a_page(signed, lines):
    """Notes of growing length push the closing lines across the end of page 1 or 2; whatever the length, the page
    with the signatures also carries the closing paragraph of the body."""
    Musdesus.objects.filter(cooperative=signed).update(
        notes="\n".join(f"Catatan ke-{i}: peserta menyampaikan usulan unit usaha." for i in range(lines))
    )
    content = documents.render(documents.DOCUMENTS["berita-acara"], signed, "pdf", may_see_nik=True)
    pages = pdf_pages(content)
    signature_pages = [i for i, text in enumerate(pages) if "Wakil Masyarakat" in text]
    assert len(signature_pages) == 1
    page = pages[signature_pages[0]]
    assert "Demikian Berita Acara ini dibuat" in page
    assert "Hasan Basri" in page and "Abdul Ghoffar" in page and "Haji Usman" in page


def test_the_register_downloads_as_xlsx(operator, signed):
    from openpyxl import load_workbook

    operator.post(url("musdesus_issue", signed, slug="berita-acara"))
    paper = IssuedPaper.objects.get()
    page = operator.get(f"/penerbit/{paper.issuer.pk}/agenda/?tahun=2025").content.decode()
    assert 'data-testid="agenda-xlsx"' in page
    response = operator.get(f"/penerbit/{paper.issuer.pk}/agenda/?tahun=2025&unduh=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[2][:3] == ["No.", "Tanggal surat", "Nomor"]
    assert rows[3][0] == 1 and rows[3][2] == paper.number
    assert "Berita Acara Musyawarah Desa Khusus Desa Janju" in rows[3][3]


def test_an_invitation_is_never_dated_after_its_meeting(operator, signed, operator_janju):
    # the meeting was on 14 May 2025: the draft is dated that day at the latest, and a later date is refused
    assert documents.invitation_context(signed)["sign_date"] == "14 Mei 2025"
    with pytest.raises(ValidationError):
        documents.plan(signed, "undangan", date(2025, 6, 1), operator_janju, read=None)
    operator.post(url("musdesus_issue", signed, slug="undangan"))
    assert IssuedPaper.objects.get().date_of_issue == date(2025, 5, 14)


def test_a_logo_is_printed_in_the_pdf_and_the_docx(operator, signed, operator_janju):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kopdes.documents.services import update_issuer
    from kopdes.tests.samples import PNG_BYTES

    village = Region.objects.get(code=JANJU)
    logo = SimpleUploadedFile("logo.png", PNG_BYTES)
    update_issuer(actor=operator_janju, issuer=issuer_for(IssuerKind.BPD, village), logo=logo)
    pdf = operator.get(url("musdesus_document", signed, slug="undangan", fmt="pdf")).content
    assert pdf.startswith(b"%PDF") and b"/Image" in pdf
    docx = operator.get(url("musdesus_document", signed, slug="undangan", fmt="docx")).content
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())


def test_the_docx_keeps_the_closing_paragraph_with_the_signatures(operator, signed):
    import docx

    content = operator.get(url("musdesus_document", signed, slug="berita-acara", fmt="docx")).content
    paragraphs = docx.Document(io.BytesIO(content)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Demikian Berita Acara"))
    end = next(i for i, p in enumerate(paragraphs) if p.text == "Haji Usman")
    block = paragraphs[start:end]
    assert [p.text for p in block if p.text in ("Hasan Basri", "Abdul Ghoffar")] == ["Hasan Basri", "Abdul Ghoffar"]
    assert all(p.paragraph_format.keep_with_next and p.paragraph_format.keep_together for p in block)
