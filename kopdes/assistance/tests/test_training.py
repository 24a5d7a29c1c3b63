"""Training (pelatihan): the office creates it for villages of its region, the office and the pendamping record
attendance (several rows at once), materials are checked by content, certificates come out as PDF."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kopdes.assistance import documents_activities
from kopdes.assistance.models import Training, TrainingAttendee, TrainingMaterial
from kopdes.assistance.policy import is_pendamping_of
from kopdes.assistance.selectors import activities as selectors
from kopdes.assistance.services import activities as services
from kopdes.assistance.tests.activities_helpers import (
    JPEG_BYTES,
    PDF_BYTES,
    VALID_NIK,
    attend,
    make_training,
    upload,
)
from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the case page needs the started programme)
from kopdes.regions.models import Region

pytestmark = pytest.mark.django_db


def create_url():
    return reverse("assistance:training_create")


def training_post(**overrides):
    data = {
        "topic": "Tata kelola koperasi",
        "start_date": "2025-05-06",
        "end_date": "",
        "place": "Aula",
        "trainer": "Tim Provinsi",
        "organiser": "Dinas Koperasi",
        "kecamatan": [],
        "villages": [JANJU],
        "description": "",
    }
    data.update(overrides)
    return data


def attendance_post(rows, total=None):
    data = {"p-TOTAL_FORMS": str(total or len(rows)), "p-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"p-{index}-{key}"] = value
    return data


# --- creating a training -------------------------------------------------------------------------------------------


def test_the_office_creates_a_training_inviting_a_whole_kecamatan_and_chosen_villages(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.post(create_url(), training_post(kecamatan=[BATU_SOPANG], villages=[JANJU]))

    training = Training.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assistance:training_detail", args=[training.pk])
    invited = set(training.invited.values_list("village_code", flat=True))
    batu_sopang = set(Region.objects.subtree(BATU_SOPANG, include_self=False).villages().values_list("code", flat=True))
    assert invited == batu_sopang | {JANJU}
    assert training.end_date == training.start_date  # a one-day training
    assert AuditEntry.objects.filter(action="assistance.create_training").count() == 1


def test_an_empty_training_form_keeps_the_input_and_says_what_is_missing_in_indonesian(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.post(create_url(), training_post(topic="Pelatihan RAT", place="", villages=[]))

    assert response.status_code == 400
    content = response.content.decode()
    assert "Kolom ini wajib diisi." in content
    assert 'value="Pelatihan RAT"' in content
    assert "Undang paling sedikit satu desa" in content
    assert not Training.objects.exists()


def test_an_end_date_before_the_start_is_refused(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.post(create_url(), training_post(end_date="2025-05-01"))

    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    assert not Training.objects.exists()


@pytest.mark.parametrize("role", ["camat_batu_sopang", "operator_janju", "pimpinan", "mitra"])
def test_only_the_office_and_the_pendamping_create_trainings(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.post(create_url(), training_post()).status_code == 404
    assert not Training.objects.exists()


def test_a_pendamping_creates_a_training_for_its_kecamatan_audited(client, pendamping):
    client.force_login(pendamping)

    form = client.get(create_url())
    assert form.status_code == 200
    assert f'value="{SUNGAI_TERIK}"' not in form.content.decode()  # villages of other kecamatan are not offered
    response = client.post(create_url(), training_post(kecamatan=[TANAH_GROGOT], villages=[]))

    training = Training.objects.get()
    assert response.status_code == 302
    assert training.region_code == TANAH_GROGOT
    invited = set(training.invited.values_list("village_code", flat=True))
    assert invited == set(
        Region.objects.subtree(TANAH_GROGOT, include_self=False).villages().values_list("code", flat=True)
    )
    entry = AuditEntry.objects.get(action="assistance.create_training")
    assert entry.actor == pendamping and entry.region_code == TANAH_GROGOT
    # and it manages it: edit and cancel pages open, material may be uploaded
    assert client.get(reverse("assistance:training_edit", args=[training.pk])).status_code == 200
    assert client.get(reverse("assistance:training_cancel", args=[training.pk])).status_code == 200


def test_a_pendamping_cannot_invite_villages_outside_its_kecamatan(client, pendamping):
    client.force_login(pendamping)

    response = client.post(create_url(), training_post(kecamatan=[BATU_SOPANG], villages=[SUNGAI_TERIK]))

    assert response.status_code == 400
    assert "bukan wilayah kerja Anda" in response.content.decode()
    assert not Training.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_training(
            actor=pendamping,
            region=Region.objects.get(code=BATU_SOPANG),
            topic="x",
            start_date=date(2025, 5, 6),
            end_date=None,
            place="x",
            trainer="x",
            organiser="x",
            village_codes=[SUNGAI_TERIK],
        )
    assert not Training.objects.exists()


def test_a_pendamping_does_not_manage_the_office_training(client, admin_dinas, pendamping):
    training = make_training(admin_dinas, villages=[JANJU])
    client.force_login(pendamping)

    assert client.get(reverse("assistance:training_detail", args=[training.pk])).status_code == 200
    assert client.get(reverse("assistance:training_edit", args=[training.pk])).status_code == 404
    assert client.get(reverse("assistance:training_cancel", args=[training.pk])).status_code == 404


def test_the_service_refuses_villages_outside_the_office_region(admin_dinas):
    province = Region.objects.get(code="64")
    other = Region.objects.create(code="64.09", name="Lain", level=2, kind="kabupaten", parent=province)
    kecamatan = Region.objects.create(code="64.09.01", name="Lain", level=3, kind="kecamatan", parent=other)
    Region.objects.create(code="64.09.01.2001", name="Lain", level=4, kind="desa", parent=kecamatan)

    with pytest.raises(PermissionDenied):
        make_training(admin_dinas, villages=[JANJU, "64.09.01.2001"])
    assert not Training.objects.exists()


# --- attendance ----------------------------------------------------------------------------------------------------


def test_the_office_enters_several_attendees_at_once_and_blank_rows_are_skipped(client, admin_dinas):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)
    url = reverse("assistance:training_attendance", args=[training.pk])

    response = client.post(
        url,
        attendance_post(
            [
                {"name": "Ahmad Rifai", "role": "pengurus", "village": JANJU, "nik": "6401 0401 0185 0003"},
                {"name": "Siti Rahmah", "role": "pengawas", "village": SUNGAI_TERIK, "nik": ""},
                {"name": "", "role": "pengurus", "village": JANJU, "nik": ""},
            ]
        ),
    )

    assert response.status_code == 302
    rows = list(training.attendees.order_by("serial").values_list("name", "nik", "village_code", "certificate_number"))
    assert rows == [
        ("Ahmad Rifai", VALID_NIK, JANJU, f"001/SERT-PLT/{training.pk}/2025"),
        ("Siti Rahmah", "", SUNGAI_TERIK, f"002/SERT-PLT/{training.pk}/2025"),
    ]


def test_a_wrong_nik_refuses_every_row_and_keeps_what_was_typed(client, admin_dinas):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("assistance:training_attendance", args=[training.pk]),
        attendance_post(
            [
                {"name": "Ahmad Rifai", "role": "pengurus", "village": JANJU, "nik": ""},
                {"name": "Siti Rahmah", "role": "pengurus", "village": JANJU, "nik": "12345"},
            ]
        ),
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Baris 2: NIK harus terdiri atas tepat 16 digit." in content
    assert 'value="Ahmad Rifai"' in content and 'value="Siti Rahmah"' in content
    assert not TrainingAttendee.objects.exists()


def test_an_empty_attendance_form_is_refused_in_indonesian(client, admin_dinas):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("assistance:training_attendance", args=[training.pk]),
        attendance_post([{"name": "", "role": "pengurus", "village": JANJU, "nik": ""}]),
    )

    assert response.status_code == 400
    assert "Isi paling sedikit satu orang." in response.content.decode()


def test_the_same_nik_twice_on_one_training_is_refused(admin_dinas):
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("Ahmad", JANJU, VALID_NIK))

    with pytest.raises(ValidationError, match="sudah ada di daftar hadir|already on the attendance list"):
        attend(admin_dinas, training, ("Ahmad R.", JANJU, VALID_NIK))


def test_a_pendamping_records_attendance_only_for_the_villages_it_is_assigned_to(client, admin_dinas, pendamping):
    training = make_training(admin_dinas)  # Janju (Tanah Grogot) and Sungai Terik (Batu Sopang)
    client.force_login(pendamping)
    url = reverse("assistance:training_attendance", args=[training.pk])

    page = client.get(url)
    forged = client.post(url, attendance_post([{"name": "Orang Luar", "role": "anggota", "village": SUNGAI_TERIK}]))
    own = client.post(url, attendance_post([{"name": "Orang Janju", "role": "anggota", "village": JANJU}]))

    assert [code for code, _label in page.context["formset"].forms[0].fields["village"].choices] == [JANJU]
    assert forged.status_code == 400
    assert own.status_code == 302
    assert list(training.attendees.values_list("name", flat=True)) == ["Orang Janju"]
    with pytest.raises(PermissionDenied):
        attend(pendamping, training, ("Orang Luar", SUNGAI_TERIK))


@pytest.mark.parametrize("role", ["camat_batu_sopang", "operator_janju", "pimpinan", "mitra"])
def test_readers_do_not_record_attendance(client, admin_dinas, request, role):
    training = make_training(admin_dinas)
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        reverse("assistance:training_attendance", args=[training.pk]),
        attendance_post([{"name": "X", "role": "anggota", "village": JANJU}]),
    )

    assert response.status_code == 404
    assert not TrainingAttendee.objects.exists()


def test_a_withdrawn_attendee_leaves_the_list_but_keeps_its_row(client, admin_dinas):
    training = make_training(admin_dinas)
    (attendee,) = attend(admin_dinas, training, ("Salah Ketik", JANJU))
    client.force_login(admin_dinas)

    client.post(reverse("assistance:attendee_withdraw", args=[attendee.pk]))

    attendee.refresh_from_db()
    assert attendee.withdrawn_at is not None
    page = client.get(reverse("assistance:training_detail", args=[training.pk]))
    assert page.context["attendees"] == []
    assert AuditEntry.objects.filter(action="assistance.withdraw_attendee").count() == 1


# --- who sees what -------------------------------------------------------------------------------------------------


def test_the_nik_is_shown_in_full_only_to_those_who_edit_the_village(client, admin_dinas, pimpinan, operator_janju):
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("Ahmad Rifai", JANJU, VALID_NIK))
    url = reverse("assistance:training_detail", args=[training.pk])

    client.force_login(operator_janju)
    own = client.get(url).content.decode()
    client.force_login(pimpinan)
    leadership = client.get(url).content.decode()

    assert VALID_NIK in own
    assert VALID_NIK not in leadership
    assert "640104********03" in leadership


def test_a_camat_sees_the_attendees_of_its_own_kecamatan_only(client, admin_dinas, camat_batu_sopang):
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("Orang Janju", JANJU), ("Orang Sungai Terik", SUNGAI_TERIK))
    client.force_login(camat_batu_sopang)

    content = client.get(reverse("assistance:training_detail", args=[training.pk])).content.decode()

    assert "Orang Sungai Terik" in content
    assert "Orang Janju" not in content


def test_the_read_only_partner_sees_the_training_without_names(client, admin_dinas, mitra):
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("Ahmad Rifai", JANJU))
    client.force_login(mitra)

    response = client.get(reverse("assistance:training_detail", args=[training.pk]))

    assert response.status_code == 200
    assert "Ahmad Rifai" not in response.content.decode()


def test_a_training_inviting_no_village_of_the_scope_is_404(client, admin_dinas, operator_janju):
    training = make_training(admin_dinas, villages=[SUNGAI_TERIK])
    client.force_login(operator_janju)

    assert client.get(reverse("assistance:training_detail", args=[training.pk])).status_code == 404
    assert training.topic not in client.get(reverse("assistance:training_list")).content.decode()


def test_html_in_a_training_and_a_name_is_shown_as_text(client, admin_dinas):
    training = make_training(admin_dinas, topic="<script>alert(1)</script>Pelatihan")
    attend(admin_dinas, training, ("<b>Ahmad</b>", JANJU))
    client.force_login(admin_dinas)

    content = client.get(reverse("assistance:training_detail", args=[training.pk])).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Pelatihan" in content
    assert "&lt;b&gt;Ahmad&lt;/b&gt;" in content


def test_the_training_list_does_not_grow_in_queries_with_trainings(client, admin_dinas, django_assert_max_num_queries):
    client.force_login(admin_dinas)
    url = reverse("assistance:training_list")
    make_training(admin_dinas)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for n in range(5):
        training = make_training(admin_dinas, topic=f"Pelatihan {n}", villages=[JANJU, SUNGAI_TERIK, "64.01.04.2003"])
        attend(admin_dinas, training, ("A", JANJU), ("B", SUNGAI_TERIK))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["trainings"]) == 6


# --- materials -----------------------------------------------------------------------------------------------------


def pptx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<presentation/>")
    return buffer.getvalue()


def test_the_office_uploads_pdf_and_powerpoint_materials_served_to_those_in_scope(
    client, admin_dinas, operator_janju, operator_sungai_terik
):
    training = make_training(admin_dinas, villages=[JANJU])
    client.force_login(admin_dinas)
    url = reverse("assistance:material_upload", args=[training.pk])

    pdf_answer = client.post(url, {"title": "Modul", "file": upload("modul.pdf", PDF_BYTES)})
    pptx_answer = client.post(url, {"title": "", "file": upload("slide.pptx", pptx_bytes())})

    assert pdf_answer.status_code == pptx_answer.status_code == 302
    pdf_material, pptx_material = TrainingMaterial.objects.order_by("id")
    assert pdf_material.content_type == "application/pdf"
    assert pptx_material.content_type == services.PPTX and pptx_material.title == "slide.pptx"
    client.force_login(operator_janju)
    served = client.get(reverse("assistance:material_file", args=[pdf_material.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF_BYTES
    client.force_login(operator_sungai_terik)
    assert client.get(reverse("assistance:material_file", args=[pdf_material.pk])).status_code == 404
    served.close()  # last: closing a streamed response ends the request (and, on PostgreSQL, its connection)


@pytest.mark.parametrize(
    "name, content",
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        ("arsip.pptx", b"PK\x03\x04" + b"\x00" * 60),  # a zip, but no presentation inside
    ],
)
def test_a_material_that_is_not_a_document_is_refused(client, admin_dinas, name, content):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("assistance:material_upload", args=[training.pk]), {"title": "x", "file": upload(name, content)}
    )

    assert response.status_code == 400
    assert "bukan PDF, PowerPoint (.pptx), JPEG atau PNG" in response.content.decode()
    assert not TrainingMaterial.objects.exists()


def test_a_material_over_the_size_limit_is_refused(client, admin_dinas, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("assistance:material_upload", args=[training.pk]),
        {"title": "x", "file": upload("besar.pdf", PDF_BYTES + b"0" * 2000)},
    )

    assert response.status_code == 400
    assert "ukuran maksimum yang diizinkan" in response.content.decode()
    assert not TrainingMaterial.objects.exists()


# --- certificates --------------------------------------------------------------------------------------------------


def pdf_pages(content: bytes) -> int:
    """Pages of a PDF: page objects, looked for in the plain text and inside the compressed object streams."""
    chunks = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-z])", chunk)) for chunk in chunks)


def page_texts(training, attendees) -> list[str]:
    """The text WeasyPrint lays out on each page of the certificates (the same template and context as the view)."""
    from weasyprint import HTML

    with translation.override("id"):
        html = render_to_string(
            "assistance/activities/certificate_pdf.html",
            documents_activities.certificates_context(training, attendees),
        )
    pages = HTML(string=html).render().pages
    return [" ".join(box.text for box in page._page_box.descendants() if hasattr(box, "text")) for page in pages]


def test_an_attendee_certificate_is_a_pdf_with_the_name_and_the_number(client, admin_dinas, operator_janju):
    training = make_training(admin_dinas, topic="Pelatihan Pembukuan Koperasi")
    (attendee,) = attend(admin_dinas, training, ("Ahmad Rifai", JANJU, VALID_NIK))
    client.force_login(operator_janju)

    response = client.get(reverse("assistance:attendee_certificate", args=[attendee.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) == 1
    (text,) = page_texts(training, [attendee])
    assert "Ahmad Rifai" in text
    assert attendee.certificate_number in text
    assert "Pelatihan Pembukuan Koperasi" in text
    assert VALID_NIK not in text  # the NIK is never printed


def test_all_certificates_of_a_training_come_in_one_pdf_one_page_each(client, admin_dinas):
    training = make_training(admin_dinas)
    attendees = attend(admin_dinas, training, ("Ahmad Rifai", JANJU), ("Siti Rahmah", SUNGAI_TERIK), ("Budi", JANJU))
    client.force_login(admin_dinas)

    response = client.get(reverse("assistance:training_certificates", args=[training.pk]))

    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) == 3
    texts = page_texts(training, attendees)
    assert ["Ahmad Rifai" in texts[0], "Siti Rahmah" in texts[1], "Budi" in texts[2]] == [True, True, True]
    assert "001/SERT-PLT" in texts[0] and "003/SERT-PLT" in texts[2]


def test_a_camat_prints_only_the_certificates_of_its_kecamatan(client, admin_dinas, camat_batu_sopang):
    training = make_training(admin_dinas)
    janju, terik = attend(admin_dinas, training, ("Orang Janju", JANJU), ("Orang Sungai Terik", SUNGAI_TERIK))
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("assistance:training_certificates", args=[training.pk]))

    assert pdf_pages(response.content) == 1
    assert selectors.certificate_attendees(camat_batu_sopang, training) == [terik]
    assert client.get(reverse("assistance:attendee_certificate", args=[janju.pk])).status_code == 404
    assert client.get(reverse("assistance:attendee_certificate", args=[terik.pk])).status_code == 200


def test_the_read_only_partner_prints_no_certificate(client, admin_dinas, mitra):
    training = make_training(admin_dinas)
    (attendee,) = attend(admin_dinas, training, ("Ahmad Rifai", JANJU))
    client.force_login(mitra)

    assert client.get(reverse("assistance:attendee_certificate", args=[attendee.pk])).status_code == 404
    assert client.get(reverse("assistance:training_certificates", args=[training.pk])).status_code == 404


@pytest.mark.usefixtures("programme")
def test_trainings_attended_show_on_the_village_case_page(client, admin_dinas, operator_janju):
    from kopdes.formation.tests.helpers import case_for

    attended = make_training(admin_dinas, topic="Pelatihan yang diikuti", start=date(2025, 5, 6))
    make_training(admin_dinas, topic="Pelatihan tanpa peserta Janju")
    attend(admin_dinas, attended, ("Ahmad Rifai", JANJU), ("Budi", JANJU))
    client.force_login(operator_janju)

    response = client.get(reverse("formation:case_detail", args=[case_for(JANJU).pk]))

    trainings = response.context["trainings_attended"]
    assert [(t["topic"], t["n_people"]) for t in trainings] == [("Pelatihan yang diikuti", 2)]
    assert "Pelatihan yang diikuti" in response.content.decode()


def test_a_pendamping_of_tanah_grogot_is_not_a_pendamping_of_batu_sopang(pendamping):
    assert is_pendamping_of(pendamping, JANJU)
    assert is_pendamping_of(pendamping, TANAH_GROGOT)
    assert not is_pendamping_of(pendamping, SUNGAI_TERIK)


def test_the_jpeg_signature_is_a_valid_material(admin_dinas):
    training = make_training(admin_dinas)

    material = services.upload_material(
        actor=admin_dinas, training=training, title="Foto papan", uploaded=upload("papan.jpg", JPEG_BYTES)
    )

    assert material.content_type == "image/jpeg"


def test_the_training_page_does_not_grow_in_queries_with_attendees_or_materials(
    client, admin_dinas, django_assert_max_num_queries
):
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("A", JANJU))
    client.force_login(admin_dinas)
    url = reverse("assistance:training_detail", args=[training.pk])
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    attend(admin_dinas, training, *[(f"Peserta {n}", JANJU if n % 2 else SUNGAI_TERIK) for n in range(12)])
    for n in range(3):
        services.upload_material(
            actor=admin_dinas, training=training, title=f"M{n}", uploaded=upload(f"m{n}.pdf", PDF_BYTES)
        )

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["attendees"]) == 13 and len(response.context["materials"]) == 3


def test_attendance_counts_say_what_they_count(client, admin_dinas, camat_batu_sopang):
    """The list counts everyone who attended; a camat's training page lists its kecamatan's: both are labelled."""
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("Orang Janju", JANJU), ("Orang Terik", SUNGAI_TERIK))
    client.force_login(camat_batu_sopang)

    listing = client.get(reverse("assistance:training_list")).content.decode()
    detail = client.get(reverse("assistance:training_detail", args=[training.pk])).content.decode()

    assert "Hadir (seluruh desa yang diundang)" in listing
    assert "1 hadir · wilayah Anda" in detail
    assert "2 hadir dari seluruh desa yang diundang" in detail


def test_a_material_refused_for_another_field_names_the_file_to_choose_again(client, admin_dinas):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("assistance:material_upload", args=[training.pk]),
        {"title": "x" * 201, "file": upload("materi-rat.pdf", PDF_BYTES, "application/pdf")},
    )

    assert response.status_code == 400
    assert "Berkas belum tersimpan — pilih lagi berkas: materi-rat.pdf" in response.content.decode()
    assert not TrainingMaterial.objects.exists()
