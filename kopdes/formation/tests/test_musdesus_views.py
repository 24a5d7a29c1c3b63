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
from kopdes.people import services as people
from kopdes.people.models import Person

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


def on_roster(operator_user, name: str, **fields):
    """A person of Janju's roster (people.services), as the operator adds them."""
    return people.create_person(actor=operator_user, village_code=JANJU, data={"name": name, **fields})


TEAM_POST = {
    "village_head_name": "Abdul Ghoffar",
    "decree_date": "2025-04-20",
    "members_paste": "Ahmad Dé\t\t\t\t\t\tAnggota\tBPD",
    "members_guests": "Drs. Hasan Basri; ; L; ; ; 0813-1111-2222; Camat Tanah Grogot; lainnya",
    "submit_evidence": "on",
}


def test_operator_records_the_team_and_submits_stage_2(operator, operator_janju, janju):
    siti = on_roster(operator_janju, "Siti Nur'aini", phone="0812-5555-1234")
    post = {
        **TEAM_POST,
        "members_picked": [str(siti.pk)],
        f"members_picked-position-{siti.pk}": "Ketua",
        f"members_picked-element-{siti.pk}": "tokoh masyarakat",
    }
    response = send(operator, url("team", janju), post)
    assert response.status_code == 302
    team = FacilitatorTeam.objects.get(cooperative=janju)
    assert [m.element for m in team.members.all()] == ["tokoh_masyarakat", "bpd", "lainnya"]
    assert [m.person_id is not None for m in team.members.all()] == [True, True, False]  # the guest has no person
    assert not Person.objects.filter(name="Drs. Hasan Basri").exists()  # guests stay off the roster
    assert StageSubmission.objects.get(cooperative=janju, status="pending").stage == 2
    page = operator.get(url("team", janju)).content.decode()
    assert "Siti Nur&#x27;aini" in page and "0812-5555-1234" in page and "Camat Tanah Grogot" in page
    form = operator.get(url("team", janju)).context["form"]  # the guest comes back in the guest box
    assert "Drs. Hasan Basri" in form.initial["members_guests"] and not form.initial.get("members_paste")


@pytest.mark.parametrize("box", ["members_paste", "members_guests"])
def test_team_with_an_unknown_element_keeps_the_input_and_saves_nothing(operator, janju, box):
    before = saved_state(janju)
    typed = "Siti; ; ; ; ; 0812-1234; Ketua; dukun"
    post = {**TEAM_POST, "members_paste": "", "members_guests": "", box: typed}
    response = send(operator, url("team", janju), post)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Row 1" in body or "Baris 1" in body
    assert "tokoh masyarakat" in body  # the accepted elements are listed
    assert typed in body
    assert saved_state(janju) == before and not FacilitatorTeam.objects.exists()
    assert not Person.objects.exists()


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


@pytest.mark.parametrize("box", ["attendees_paste", "attendees_guests"])
def test_invalid_nik_in_attendance_names_the_line_and_saves_nothing(operator, janju, box):
    typed = f"Siti Nur'aini\t{data.nik(1, woman=True)}\tP\nAhmad\t6401043102900001\tL\t\t\t\tpemuda"
    response = send(operator, url("musdesus_attendance", janju), {box: typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert ("Row 2" in body or "Baris 2" in body) and "6401043102900001" in body  # the row number, the input kept
    assert not Participant.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize("box", ["attendees_paste", "attendees_guests"])
def test_sex_contradicting_the_nik_is_refused(operator, janju, box):
    typed = f"Siti; {data.nik(1, woman=True)}; L; ; ; ; perempuan"
    response = send(operator, url("musdesus_attendance", janju), {box: typed})
    assert response.status_code == 400
    assert not Participant.objects.exists() and not Person.objects.exists()


def test_empty_attendance_is_refused(operator, janju):
    post = {"attendees_paste": "  \n \n", "attendees_guests": " \n"}
    response = send(operator, url("musdesus_attendance", janju), post)
    assert response.status_code == 400
    assert not Musdesus.objects.exists()


def test_attendance_is_saved_and_niks_masked_for_readers(operator, operator_janju, janju, client, pimpinan):
    first, *rest = data.attendees(3)
    picked = on_roster(operator_janju, first["name"], nik=first["nik"])
    post = {
        "attendees_picked": [str(picked.pk)],
        f"attendees_picked-element-{picked.pk}": "tokoh masyarakat",
        "attendees_paste": "\n".join(f"{a['name']}\t{a['nik']}\tL\t\t\t\ttokoh masyarakat" for a in rest[:1]),
        "attendees_guests": "\n".join(f"{a['name']}; {a['nik']}; L; ; ; ; lainnya" for a in rest[1:]),
    }
    assert send(operator, url("musdesus_attendance", janju), post).status_code == 302
    assert Participant.objects.filter(kind="attendee").count() == 3
    assert Person.objects.count() == 2  # the picked and the pasted; the guest stays off the roster
    assert data.nik(1) in operator.get(url("musdesus", janju)).content.decode()  # the editor sees it in full
    client.force_login(pimpinan)
    body = client.get(url("musdesus", janju)).content.decode()
    assert data.nik(1) not in body and "640104********01" in body
    assert data.nik(3) not in body  # the guest's NIK is masked as well


def test_decisions_revitalisasi_without_method_is_refused(operator, janju):
    post = {
        "pathway": "revitalisasi",
        "cooperative_name": "Koperasi Desa Merah Putih Janju",
        "founders_paste": "A; \nB",
    }
    response = send(operator, url("musdesus_decisions", janju), post)
    assert response.status_code == 400
    assert "A; \nB" in response.content.decode()
    assert not Musdesus.objects.exists() and not Person.objects.exists()


def test_decisions_with_rule_errors_are_saved_and_shown(operator, operator_janju, janju):
    andi, namesake = on_roster(operator_janju, "Andi"), on_roster(operator_janju, "Andi")  # two Andis without NIK
    post = {
        "pathway": "pendirian_baru",
        "cooperative_name": "Koperasi Desa Merah Putih Janju",
        "founders_paste": "Andi\nBudi",
        "pengurus_picked": [str(andi.pk), str(namesake.pk)],
        f"pengurus_picked-position-{andi.pk}": "ketua",
        f"pengurus_picked-position-{namesake.pk}": "bendahara",
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


def test_no_form_asks_for_a_number_the_papers_take_from_the_register(operator, operator_janju, janju):
    """The team decree, the invitation and the Berita Acara print their issuer's register number (or DRAF): their
    forms ask for no number, and a number posted anyway is not stored."""
    for name, field in (
        ("team", "decree_number"),
        ("musdesus_schedule", "invitation_number"),
        ("musdesus_decisions", "berita_acara_number"),
    ):
        page = operator.get(url(name, janju)).content.decode()
        assert f'name="{field}"' not in page, name
    siti = on_roster(operator_janju, "Siti Nur'aini")
    post = {
        **TEAM_POST,
        "decree_number": "141/05/2025",
        "members_picked": [str(siti.pk)],
        f"members_picked-element-{siti.pk}": "tokoh_masyarakat",
        "submit_evidence": "",
    }
    assert send(operator, url("team", janju), post).status_code == 302
    assert FacilitatorTeam.objects.get(cooperative=janju).decree_number == ""
