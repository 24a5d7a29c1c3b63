"""Assistance visits: a pendamping records them for its own villages, with follow-ups and photos; the office, the camat
and the village read them in their scope; open follow-ups show on the case page until marked done."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from PIL import Image

from kopdes.assistance.models import FollowUp, Visit, VisitPhoto
from kopdes.assistance.services import activities as services
from kopdes.assistance.tests.activities_helpers import JPEG_BYTES, PDF_BYTES, make_visit, upload
from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the case page needs the started programme)
from kopdes.formation.tests.helpers import case_for
from kopdes.regions.models import Region

pytestmark = pytest.mark.django_db

CREATE = "assistance:visit_create"


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def visit_post(**overrides):
    data = {
        "village": JANJU,
        "visit_date": "2025-05-08",
        "purpose": "Persiapan Musdesus",
        "findings": "Daftar hadir belum ditandatangani",
        "t-TOTAL_FORMS": "3",
        "t-INITIAL_FORMS": "0",
        "t-0-text": "Lengkapi tanda tangan",
        "t-0-owner_name": "Operator Desa",
        "t-0-owner_role": "Operator desa",
        "t-0-due_date": "2025-05-12",
    }
    data.update(overrides)
    return data


def saved_state():
    return {
        "visits": Visit.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "photos": VisitPhoto.objects.count(),
        "audit": AuditEntry.objects.filter(action__startswith="assistance.").count(),
        "on_disk": stored_files(),
    }


# --- recording -----------------------------------------------------------------------------------------------------


def test_a_pendamping_records_a_visit_with_follow_ups_and_photos(client, pendamping):
    client.force_login(pendamping)

    response = client.post(
        reverse(CREATE),
        visit_post(photos=[upload("rapat.jpg", JPEG_BYTES), upload("papan.jpg", JPEG_BYTES)]),
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assistance:visit_detail", args=[visit.pk])
    assert (visit.pendamping, visit.village_code, visit.visit_date) == (pendamping, JANJU, date(2025, 5, 8))
    assert list(visit.follow_ups.values_list("text", "owner_name", "due_date", "done_date")) == [
        ("Lengkapi tanda tangan", "Operator Desa", date(2025, 5, 12), None)
    ]
    assert [p.content_type for p in visit.photos.all()] == ["image/jpeg", "image/jpeg"]
    assert len(stored_files()) == 2
    assert AuditEntry.objects.filter(action="assistance.record_visit", region_code=JANJU).count() == 1


def test_a_village_outside_the_pendamping_assignment_is_404_and_nothing_is_saved(client, pendamping):
    client.force_login(pendamping)
    before = saved_state()

    response = client.post(reverse(CREATE), visit_post(village=SUNGAI_TERIK, photos=[upload("a.jpg", JPEG_BYTES)]))

    assert response.status_code == 404
    assert saved_state() == before
    with pytest.raises(PermissionDenied):
        make_visit(pendamping, SUNGAI_TERIK)


@pytest.mark.parametrize("role", ["admin_dinas", "camat_tanah_grogot", "operator_janju", "pimpinan", "mitra"])
def test_only_a_pendamping_records_visits(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.post(reverse(CREATE), visit_post()).status_code == 404
    assert not Visit.objects.exists()


def test_empty_required_fields_keep_the_input_and_say_so_in_indonesian(client, pendamping):
    client.force_login(pendamping)

    response = client.post(reverse(CREATE), visit_post(findings="", visit_date="", purpose="Cek RAT"))

    content = response.content.decode()
    assert response.status_code == 400
    assert content.count("Kolom ini wajib diisi.") == 2
    assert "Cek RAT" in content and "Lengkapi tanda tangan" in content
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [{"findings": ""}, {"t-0-owner_name": ""}],
    ids=["an error in the visit form", "an error in a follow-up row only"],
)
def test_a_photo_chosen_on_a_form_that_comes_back_is_named_and_asked_for_again(client, pendamping, overrides):
    client.force_login(pendamping)
    photos = [upload("rumah-kades.jpg", JPEG_BYTES, "image/jpeg"), upload("balai.jpg", JPEG_BYTES, "image/jpeg")]

    response = client.post(reverse(CREATE), {**visit_post(**overrides), "photos": photos})

    content = response.content.decode()
    assert response.status_code == 400
    assert "Berkas belum tersimpan — pilih lagi berkas: rumah-kades.jpg, balai.jpg" in content
    assert saved_state()["photos"] == 0


def test_a_form_without_a_chosen_file_says_nothing_about_files(client, pendamping):
    client.force_login(pendamping)

    response = client.post(reverse(CREATE), visit_post(findings=""))

    assert 'data-testid="files-not-kept"' not in response.content.decode()


def test_a_half_filled_follow_up_row_is_refused_with_what_is_missing(client, pendamping):
    client.force_login(pendamping)

    response = client.post(reverse(CREATE), visit_post(**{"t-0-owner_name": "", "t-0-due_date": ""}))

    content = response.content.decode()
    assert response.status_code == 400
    assert "Siapa yang mengerjakan? Isi nama penanggung jawab." in content
    assert "Isi batas waktunya." in content
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_is_refused(client, pendamping):
    client.force_login(pendamping)

    response = client.post(reverse(CREATE), visit_post(visit_date="2099-01-01"))

    assert response.status_code == 400
    assert "Tanggal kunjungan tidak boleh di masa depan." in response.content.decode()
    assert not Visit.objects.exists()


def test_a_photo_over_the_size_limit_is_refused_and_nothing_is_saved(client, pendamping, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    client.force_login(pendamping)
    before = saved_state()

    huge = upload("besar.jpg", JPEG_BYTES + b"\x00" * 5000)
    response = client.post(reverse(CREATE), visit_post(photos=[upload("kecil.jpg", JPEG_BYTES), huge]))

    assert response.status_code == 400
    assert "ukuran maksimum yang diizinkan" in response.content.decode()
    assert saved_state() == before


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("berita-acara.jpg", PDF_BYTES, "bukan foto (JPEG atau PNG)"),
        ("foto.jpg", b"MZ\x90\x00" + b"\x00" * 60, "bukan foto (JPEG atau PNG)"),
    ],
)
def test_a_photo_that_is_not_a_jpeg_or_png_is_refused(client, pendamping, name, content, message):
    client.force_login(pendamping)
    before = saved_state()

    response = client.post(reverse(CREATE), visit_post(photos=[upload(name, content)]))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert saved_state() == before


def test_html_and_script_in_a_visit_are_shown_as_text(client, pendamping, operator_janju):
    services.record_visit(
        actor=pendamping,
        village=Region.objects.get(code=JANJU),
        visit_date=date(2025, 5, 8),
        purpose='<img src=x onerror="alert(1)">',
        findings="<script>alert('x')</script>",
        follow_ups=[services.FollowUpRow(text="<b>tebal</b>", owner_name="<i>Sekdes</i>", due_date=date(2025, 5, 9))],
    )
    client.force_login(operator_janju)

    content = client.get(reverse("assistance:visit_detail", args=[Visit.objects.get().pk])).content.decode()

    assert "<script>alert('x')</script>" not in content and '<img src=x onerror="alert(1)">' not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content
    assert "&lt;b&gt;tebal&lt;/b&gt;" in content and "&lt;i&gt;Sekdes&lt;/i&gt;" in content


# --- reading -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees",
    [
        ("admin_dinas", True),
        ("pimpinan", True),
        ("camat_tanah_grogot", True),
        ("operator_janju", True),
        ("pendamping", True),
        ("camat_batu_sopang", False),
        ("operator_sungai_terik", False),
        ("mitra", False),
    ],
)
def test_a_visit_is_read_in_the_scope_of_its_village(client, request, pendamping, role, sees):
    visit = make_visit(pendamping, JANJU, photos=[upload("foto.jpg", JPEG_BYTES)])
    client.force_login(request.getfixturevalue(role))

    detail = client.get(reverse("assistance:visit_detail", args=[visit.pk]))
    photo = client.get(reverse("assistance:visit_photo", args=[visit.photos.get().pk]))
    listing = client.get(reverse("assistance:visit_list"))

    assert detail.status_code == photo.status_code == (200 if sees else 404)
    if sees:
        served = b"".join(photo.streaming_content)
        assert Image.open(io.BytesIO(served)).size == Image.open(io.BytesIO(JPEG_BYTES)).size  # re-encoded
        assert photo["X-Content-Type-Options"] == "nosniff"
        assert photo["Content-Disposition"].startswith("attachment")
        assert [v["pk"] for v in listing.context["visits"]] == [visit.pk]
    elif listing.status_code == 200:
        assert listing.context["visits"] == []
    photo.close()


def test_the_visit_list_does_not_grow_in_queries_with_visits(
    client, admin_dinas, pendamping, django_assert_max_num_queries
):
    make_visit(pendamping)
    client.force_login(admin_dinas)
    url = reverse("assistance:visit_list")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for code in ("64.01.04.2003", "64.01.04.2004", JANJU):
        make_visit(pendamping, code, follow_ups=3)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["visits"]) == 4


# --- follow-ups on the case page -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("programme")
def test_open_follow_ups_show_on_the_case_page_until_marked_done(client, pendamping, operator_janju):
    visit = make_visit(pendamping, JANJU, follow_ups=2, due=date(2025, 5, 12))
    first, second = visit.follow_ups.order_by("id")
    case_url = reverse("formation:case_detail", args=[case_for(JANJU).pk])
    client.force_login(operator_janju)

    before = client.get(case_url)
    done = client.post(reverse("assistance:follow_up_done", args=[first.pk]), {"next": case_url})
    after = client.get(case_url)

    assert [row["item"].pk for row in before.context["open_follow_ups"]] == [first.pk, second.pk]
    assert all(row["overdue"] for row in before.context["open_follow_ups"])  # due in May 2025
    assert "Tindak lanjut 1" in before.content.decode()
    assert done.status_code == 302 and done.url == case_url
    assert [row["item"].pk for row in after.context["open_follow_ups"]] == [second.pk]
    first.refresh_from_db()
    assert first.done_by == operator_janju and first.done_date is not None
    entry = AuditEntry.objects.get(action="assistance.mark_follow_up_done")
    assert (entry.before, entry.after["done_date"]) == ({"done_date": None}, str(first.done_date))


@pytest.mark.usefixtures("programme")
def test_the_case_page_of_another_village_shows_none_of_these_follow_ups(client, pendamping, admin_dinas):
    make_visit(pendamping, JANJU)
    client.force_login(admin_dinas)

    response = client.get(reverse("formation:case_detail", args=[case_for(SUNGAI_TERIK).pk]))

    assert response.context["open_follow_ups"] == []


def test_a_follow_up_is_marked_done_once(client, pendamping):
    follow_up = make_visit(pendamping).follow_ups.get()
    client.force_login(pendamping)
    url = reverse("assistance:follow_up_done", args=[follow_up.pk])

    client.post(url)
    again = client.post(url, follow=True)

    assert "Tindak lanjut ini sudah ditandai selesai." in again.content.decode()
    assert AuditEntry.objects.filter(action="assistance.mark_follow_up_done").count() == 1


@pytest.mark.parametrize("role", ["operator_sungai_terik", "camat_batu_sopang", "pimpinan", "mitra"])
def test_a_follow_up_is_not_marked_done_by_those_who_do_not_edit_its_village(client, request, pendamping, role):
    follow_up = make_visit(pendamping).follow_ups.get()
    client.force_login(request.getfixturevalue(role))

    assert client.post(reverse("assistance:follow_up_done", args=[follow_up.pk])).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_date is None


def test_an_outside_next_address_is_not_followed(client, pendamping):
    follow_up = make_visit(pendamping).follow_ups.get()
    client.force_login(pendamping)

    response = client.post(
        reverse("assistance:follow_up_done", args=[follow_up.pk]), {"next": "https://jahat.example/"}
    )

    assert response.url == reverse("assistance:visit_detail", args=[follow_up.visit_id])


def test_the_visit_list_narrows_to_a_region_of_the_scope(client, admin_dinas, pendamping, camat_batu_sopang):
    janju = make_visit(pendamping, JANJU)
    make_visit(pendamping, "64.01.04.2003")
    client.force_login(admin_dinas)

    narrowed = client.get(reverse("assistance:visit_list"), {"wilayah": JANJU})

    assert [v["pk"] for v in narrowed.context["visits"]] == [janju.pk]
    assert "Desa Janju" in narrowed.content.decode()
    client.force_login(camat_batu_sopang)
    assert client.get(reverse("assistance:visit_list"), {"wilayah": JANJU}).status_code == 404
