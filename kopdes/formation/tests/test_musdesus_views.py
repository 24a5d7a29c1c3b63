"""The facilitator-team and Musdesus pages over HTTP: recording, bad input (nothing saved, the form keeps what was
typed), scope, NIK masking, generated documents, and query counts that do not grow with the attendance list."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import FacilitatorTeam, Musdesus, Participant, StageSubmission
from kopdes.formation.musdesus import documents
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import EXE_BYTES, advance, case_for, pdf, saved_state, upload

pytestmark = pytest.mark.django_db


def send(client, address: str, data: dict):
    """Post a form as the browser sends it: with the read token (audit.stale) of the page it was opened on."""
    token = client.get(address).context["form"]["dibaca"].value()
    return client.post(address, {**data, "dibaca": token})


def url(name: str, case, **kwargs) -> str:
    return reverse(f"formation:{name}", kwargs={"pk": case.pk, **kwargs})


@pytest.fixture
def janju(programme, admin_dinas):
    return advance(case_for(JANJU), 1, submitter=admin_dinas)


@pytest.fixture
def operator(client, operator_janju):
    client.force_login(operator_janju)
    return client


TEAM_POST = {
    "village_head_name": "Abdul Ghoffar",
    "decree_number": "141/05/2025",
    "decree_date": "2025-04-20",
    "members": "Siti Nur'aini; Ketua; tokoh masyarakat; 0812-5555-1234\nAhmad Dé; Anggota; BPD; ",
    "submit_evidence": "on",
}


def test_operator_records_the_team_and_submits_stage_2(operator, janju):
    response = send(operator, url("team", janju), TEAM_POST)
    assert response.status_code == 302
    team = FacilitatorTeam.objects.get(cooperative=janju)
    assert [m.element for m in team.members.all()] == ["tokoh_masyarakat", "bpd"]
    assert StageSubmission.objects.get(cooperative=janju, status="pending").stage == 2
    page = operator.get(url("team", janju)).content.decode()
    assert "Siti Nur&#x27;aini" in page and "0812-5555-1234" in page


def test_team_with_an_unknown_element_keeps_the_input_and_saves_nothing(operator, janju):
    before = saved_state(janju)
    post = {**TEAM_POST, "members": "Siti; Ketua; dukun; 0812"}
    response = send(operator, url("team", janju), post)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 1" in body or "Baris 1" in body
    assert "Siti; Ketua; dukun; 0812" in body
    assert saved_state(janju) == before and not FacilitatorTeam.objects.exists()


def test_impossible_schedule_date_is_refused_with_the_input_kept(operator, janju):
    post = {
        "date": "2025-02-30",
        "time": "09:00",
        "place": "Balai Desa",
        "convener": "Ketua BPD",
        "invitees": "Pak Camat",
    }
    response = send(operator, url("musdesus_schedule", janju), post)
    assert response.status_code == 400
    assert "Balai Desa" in response.content.decode()
    assert not Musdesus.objects.exists()


def test_invalid_nik_in_attendance_names_the_line_and_saves_nothing(operator, janju):
    typed = f"Siti Nur'aini; P; perempuan; {data.nik(1, woman=True)}\nAhmad; L; pemuda; 6401043102900001"
    response = send(operator, url("musdesus_attendance", janju), {"attendees": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert "2" in body and "6401043102900001" in body  # the line number, and the input kept
    assert not Participant.objects.exists()


def test_sex_contradicting_the_nik_is_refused(operator, janju):
    response = send(
        operator, url("musdesus_attendance", janju), {"attendees": f"Siti; L; perempuan; {data.nik(1, woman=True)}"}
    )
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_empty_attendance_is_refused(operator, janju):
    response = send(operator, url("musdesus_attendance", janju), {"attendees": "  \n \n"})
    assert response.status_code == 400
    assert not Musdesus.objects.exists()


def test_attendance_is_saved_and_niks_masked_for_readers(operator, janju, client, pimpinan):
    typed = "\n".join(f"{a['name']}; L; tokoh masyarakat; {a['nik']}" for a in data.attendees(3))
    assert send(operator, url("musdesus_attendance", janju), {"attendees": typed}).status_code == 302
    assert Participant.objects.filter(kind="attendee").count() == 3
    assert data.nik(1) in operator.get(url("musdesus", janju)).content.decode()  # the editor sees it in full
    client.force_login(pimpinan)
    body = client.get(url("musdesus", janju)).content.decode()
    assert data.nik(1) not in body and "640104********01" in body


def test_decisions_revitalisasi_without_method_is_refused(operator, janju):
    post = {"pathway": "revitalisasi", "cooperative_name": "Koperasi Desa Merah Putih Janju", "founders": "A; \nB"}
    response = send(operator, url("musdesus_decisions", janju), post)
    assert response.status_code == 400
    assert "A; \nB" in response.content.decode()
    assert not Musdesus.objects.exists()


def test_decisions_with_rule_errors_are_saved_and_shown(operator, janju):
    post = {
        "pathway": "pendirian_baru",
        "cooperative_name": "Koperasi Desa Merah Putih Janju",
        "founders": "Andi\nBudi",
        "pengurus": "ketua; Andi\nbendahara; Andi",
    }
    assert send(operator, url("musdesus_decisions", janju), post).status_code == 302
    body = operator.get(url("musdesus", janju)).content.decode()
    assert 'data-rule="founders_min_law"' in body and 'data-rule="same_person_two_positions"' in body
    assert (
        'data-rule="founders_min_law"'
        in operator.get(reverse("formation:case_detail", args=[janju.pk])).content.decode()
    )


@pytest.fixture
def scheduled(programme, admin_dinas, operator_janju):
    case = advance(case_for(JANJU), 3, submitter=admin_dinas)
    data.record_valid(operator_janju, case)
    case.refresh_from_db()
    return case


def test_non_pdf_scan_is_refused_and_nothing_saved(operator, scheduled):
    before = saved_state(scheduled)
    response = operator.post(
        url("musdesus_scan", scheduled),
        {"version": scheduled.version, "scan": upload("ba.pdf", EXE_BYTES)},
    )
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert saved_state(scheduled) == before


def test_oversized_scan_is_refused(operator, scheduled, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    before = saved_state(scheduled)
    response = operator.post(url("musdesus_scan", scheduled), {"version": scheduled.version, "scan": pdf(size=4096)})
    assert response.status_code == 400
    assert saved_state(scheduled) == before


def test_signed_scan_submits_stage_4(operator, scheduled):
    response = operator.post(url("musdesus_scan", scheduled), {"version": scheduled.version, "scan": pdf()})
    assert response.status_code == 302
    assert StageSubmission.objects.get(cooperative=scheduled, status="pending").stage == 4


def test_operator_of_janju_never_sees_another_village(operator, programme):
    other = case_for(SUNGAI_TERIK)
    for name in ("team", "musdesus", "musdesus_schedule", "musdesus_attendance", "musdesus_decisions", "musdesus_scan"):
        assert operator.get(url(name, other)).status_code == 404
        assert operator.post(url(name, other), {}).status_code == 404
    assert operator.get(url("musdesus_document", other, slug="berita-acara", fmt="pdf")).status_code == 404


def test_pimpinan_reads_the_team_but_cannot_post_it(client, pimpinan, janju):
    client.force_login(pimpinan)
    assert client.get(url("team", janju)).status_code == 200
    assert client.post(url("team", janju), TEAM_POST).status_code == 404


def test_unknown_document_is_404(operator, janju):
    assert operator.get(url("musdesus_document", janju, slug="surat", fmt="pdf")).status_code == 404
    assert operator.get(url("musdesus_document", janju, slug="undangan", fmt="exe")).status_code == 404


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


@pytest.mark.parametrize("slug", ["undangan", "daftar-hadir", "daftar-hadir-kosong", "berita-acara", "sk-tim"])
def test_every_document_renders_as_docx_and_pdf(slug, operator, scheduled):
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        response = operator.get(url("musdesus_document", scheduled, slug=slug, fmt=fmt))
        assert response.status_code == 200, (slug, fmt)
        assert response.content.startswith(magic)
        assert "attachment" in response["Content-Disposition"]


def test_documents_carry_200_names_with_apostrophes_and_diacritics(
    programme, admin_dinas, operator_janju, client, pimpinan
):
    case = advance(case_for(JANJU), 3, submitter=admin_dinas)
    data.record_valid(operator_janju, case, attendance=200)
    client.force_login(operator_janju)
    response = client.get(url("musdesus_document", case, slug="daftar-hadir", fmt="docx"))
    text = docx_text(response.content)
    assert "Siti Nur&apos;aini 0" in text or "Siti Nur'aini 0" in text
    assert "Ni Luh Putu Ayu Déwi 194" in text
    assert "{{" not in text and "{%" not in text
    assert data.nik(200) in text  # the editor prints the full NIK
    pdf_response = client.get(url("musdesus_document", case, slug="daftar-hadir", fmt="pdf"))
    assert pdf_response.content.startswith(b"%PDF")
    assert_fits_the_page(documents.DOCUMENTS["daftar-hadir"], case, pages_at_least=5)
    client.force_login(pimpinan)
    masked = docx_text(client.get(url("musdesus_document", case, slug="daftar-hadir", fmt="docx")).content)
    assert data.nik(200) not in masked and "640104********00" in masked


def assert_fits_the_page(document, case, *, pages_at_least: int = 1) -> None:
    """Lay the PDF out with WeasyPrint and check no box runs past the right edge of its page (a long name or list
    that breaks the layout would)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(document.html, document.context(case, may_see_nik=True, **dict(document.kwargs)))
    assert "Ayu Déwi" in html or document.slug != "daftar-hadir"
    laid_out = HTML(string=html).render()
    assert len(laid_out.pages) >= pages_at_least
    for page in laid_out.pages:
        for box in page._page_box.descendants():
            right = getattr(box, "position_x", 0) + (getattr(box, "width", 0) or 0)
            assert right <= page.width + 0.5, (box, right, page.width)


def test_a_very_long_name_does_not_break_the_berita_acara(programme, admin_dinas, operator_janju):
    case = advance(case_for(JANJU), 3, submitter=admin_dinas)
    founders = data.founders(21)
    founders[0] = {"name": "Andi Muhammad Fachrurrozi Ma'arif Sulaiman Hidayatullah " * 2, "nik": ""}
    data.record_valid(operator_janju, case, founders=founders, attendance=200)
    assert_fits_the_page(documents.DOCUMENTS["berita-acara"], case, pages_at_least=2)


def test_berita_acara_lists_the_decisions(operator, scheduled):
    text = docx_text(operator.get(url("musdesus_document", scheduled, slug="berita-acara", fmt="docx")).content)
    for expected in (
        "Koperasi Desa Merah Putih Janju",
        "Rp 100.000",
        "Rp 10.000",
        "Kios sembako",
        "Wakil Ketua Bidang Usaha",
    ):
        assert expected in text, expected


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_musdesus_page_queries_do_not_grow_with_the_attendance(programme, admin_dinas, operator_janju, client):
    small, large = case_for(JANJU), case_for(SUNGAI_TERIK)
    data.record_valid(admin_dinas, small, attendance=5)
    data.record_valid(admin_dinas, large, attendance=150, start=400)
    client.force_login(admin_dinas)
    queries_of(client, url("musdesus", small))  # warm process-wide caches
    assert queries_of(client, url("musdesus", small)) == queries_of(client, url("musdesus", large))
