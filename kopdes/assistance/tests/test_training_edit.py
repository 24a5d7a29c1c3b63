"""Changing and cancelling a training: only its office; taken-back invitations stay as rows (marked removed), a village
with people on the list stays invited; a cancelled training stays readable, takes no attendance and counts nowhere.
The office of several kabupaten chooses which one a new training belongs to. The training list comes in pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.assistance.models import Training, TrainingMaterial, TrainingVillage
from kopdes.assistance.selectors import activities as selectors
from kopdes.assistance.services import activities as services
from kopdes.assistance.tests.activities_helpers import attend, make_training
from kopdes.assistance.tests.matrix_activities import OUTSIDE_VILLAGE, _outside_regency
from kopdes.audit.models import AuditEntry
from kopdes.audit.stale import READ_TOKEN_FIELD
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the case page needs the started programme)
from kopdes.formation.tests.helpers import case_for
from kopdes.tests.factories import make_user
from kopdes.tests.samples import PDF_BYTES

pytestmark = pytest.mark.django_db

OTHER_JANJU_VILLAGE = "64.01.04.2003"


def edit_url(training):
    return reverse("assistance:training_edit", args=[training.pk])


def cancel_url(training):
    return reverse("assistance:training_cancel", args=[training.pk])


def edit_post(training=None, **overrides):
    """The edit form as the browser sends it, with the read token of `training` as it is now."""
    data = {
        "topic": "Tata kelola koperasi (angkatan 2)",
        "start_date": "2025-05-07",
        "end_date": "2025-05-08",
        "place": "Gedung Serbaguna",
        "trainer": "Tim Provinsi",
        "organiser": "Dinas Koperasi Paser",
        "villages": [JANJU, OTHER_JANJU_VILLAGE],
        "description": "Dipindah karena aula dipakai.",
    }
    if training is not None:
        fresh = Training.objects.get(pk=training.pk)
        data[READ_TOKEN_FIELD] = selectors.training_token(fresh)
    data.update(overrides)
    return data


def invitations(training):
    return {row.village_code: row.removed_at is not None for row in TrainingVillage.objects.filter(training=training)}


# --- editing -------------------------------------------------------------------------------------------------------


def test_the_office_changes_a_training_and_a_taken_back_invitation_stays_as_a_removed_row(client, admin_dinas):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    client.force_login(admin_dinas)

    form = client.get(edit_url(training))
    response = client.post(edit_url(training), edit_post(training))

    assert form.status_code == 200
    assert 'value="Tata kelola koperasi"' in form.content.decode()  # the current values are filled in
    assert response.status_code == 302
    assert response.url == reverse("assistance:training_detail", args=[training.pk])
    training.refresh_from_db()
    assert (training.topic, training.start_date, training.end_date, training.place) == (
        "Tata kelola koperasi (angkatan 2)",
        date(2025, 5, 7),
        date(2025, 5, 8),
        "Gedung Serbaguna",
    )
    assert invitations(training) == {JANJU: False, SUNGAI_TERIK: True, OTHER_JANJU_VILLAGE: False}
    detail = client.get(response.url)
    assert [v.code for v in detail.context["invited"]] == [JANJU, OTHER_JANJU_VILLAGE]
    assert "Perubahan pelatihan disimpan." in detail.content.decode()
    entry = AuditEntry.objects.get(action="assistance.update_training")
    assert entry.before["topic"] == "Tata kelola koperasi" and entry.after["topic"] == training.topic
    assert entry.before["villages"] == sorted([JANJU, SUNGAI_TERIK])
    assert entry.after["villages"] == [JANJU, OTHER_JANJU_VILLAGE]


def test_invitations_changed_after_the_form_was_read_refuse_the_save_and_keep_the_input(client, admin_dinas):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    client.force_login(admin_dinas)
    read = edit_post(training, topic="Topik yang diketik", villages=[JANJU])
    # meanwhile a colleague takes Sungai Terik's invitation back and invites another village of Janju
    first = client.post(edit_url(training), edit_post(training, villages=[JANJU, OTHER_JANJU_VILLAGE]))

    response = client.post(edit_url(training), read)

    assert first.status_code == 302
    assert response.status_code == 409
    page = response.content.decode()
    assert "Desa yang diundang" in page and OTHER_JANJU_VILLAGE in page  # what changed meanwhile is named
    assert 'value="Topik yang diketik"' in page  # the input is kept
    assert invitations(training) == {JANJU: False, SUNGAI_TERIK: True, OTHER_JANJU_VILLAGE: False}


def test_a_village_invited_again_gets_its_old_row_back(admin_dinas):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    fields = {k: getattr(training, k) for k in services.TRAINING_FIELDS}
    services.update_training(actor=admin_dinas, training=training, village_codes=[JANJU], **fields)

    services.update_training(actor=admin_dinas, training=training, village_codes=[JANJU, SUNGAI_TERIK], **fields)

    assert invitations(training) == {JANJU: False, SUNGAI_TERIK: False}
    assert TrainingVillage.objects.filter(training=training).count() == 2


def test_a_removed_invitation_leaves_the_village_out_of_attendance_and_sight(client, admin_dinas, pendamping):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    fields = {k: getattr(training, k) for k in services.TRAINING_FIELDS}
    services.update_training(actor=admin_dinas, training=training, village_codes=[SUNGAI_TERIK], **fields)
    client.force_login(pendamping)  # the pendamping of Tanah Grogot, where Janju lies

    assert client.get(reverse("assistance:training_detail", args=[training.pk])).status_code == 404
    with pytest.raises(PermissionDenied):  # the village is no longer invited
        attend(admin_dinas, training, ("Siti", JANJU))


def test_an_invitation_with_people_on_the_list_cannot_be_taken_back(client, admin_dinas):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    attend(admin_dinas, training, ("Siti Aminah", SUNGAI_TERIK))
    client.force_login(admin_dinas)

    response = client.post(edit_url(training), edit_post(training, villages=[JANJU]))

    assert response.status_code == 400
    content = response.content.decode()
    assert "Undangan untuk Desa Sungai Terik tidak dapat dicabut" in content
    assert 'value="Tata kelola koperasi (angkatan 2)"' in content  # what was typed stays
    training.refresh_from_db()
    assert training.topic == "Tata kelola koperasi"
    assert invitations(training) == {JANJU: False, SUNGAI_TERIK: False}
    assert not AuditEntry.objects.filter(action="assistance.update_training").exists()


def test_a_wrong_edit_keeps_what_was_typed_and_says_why_in_indonesian(client, admin_dinas):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    wrong_dates = client.post(edit_url(training), edit_post(training, start_date="2025-05-09", end_date="2025-05-08"))
    no_villages = client.post(edit_url(training), edit_post(training, villages=[], topic="Topik baru"))
    no_topic = client.post(edit_url(training), edit_post(training, topic=""))

    assert wrong_dates.status_code == no_villages.status_code == no_topic.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in wrong_dates.content.decode()
    assert 'value="Gedung Serbaguna"' in wrong_dates.content.decode()
    assert "Undang paling sedikit satu desa" in no_villages.content.decode()
    assert 'value="Topik baru"' in no_villages.content.decode()
    assert "Kolom ini wajib diisi" in no_topic.content.decode()
    training.refresh_from_db()
    assert (training.topic, training.place) == ("Tata kelola koperasi", "Aula Kantor Bupati")


@pytest.mark.parametrize("role", ["pendamping", "camat_batu_sopang", "mitra", "pimpinan", "operator_janju"])
def test_nobody_but_the_office_changes_or_cancels_a_training(client, request, admin_dinas, role):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    client.force_login(request.getfixturevalue(role))

    answers = [
        client.get(edit_url(training)).status_code,
        client.post(edit_url(training), edit_post(training)).status_code,
        client.get(cancel_url(training)).status_code,
        client.post(cancel_url(training), {"reason": "Narasumber berhalangan"}).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    training.refresh_from_db()
    assert (training.topic, training.cancelled_at) == ("Tata kelola koperasi", None)
    detail = client.get(reverse("assistance:training_detail", args=[training.pk]))
    assert edit_url(training) not in detail.content.decode() and cancel_url(training) not in detail.content.decode()


def test_the_office_of_another_regency_does_not_reach_the_training(client, admin_dinas):
    _outside_regency()
    training = make_training(admin_dinas)
    other_office = make_user("dinas.luar", Role.ADMIN_DINAS, "64.02")
    client.force_login(other_office)

    assert client.get(edit_url(training)).status_code == 404
    assert client.post(cancel_url(training), {"reason": "x"}).status_code == 404
    assert Training.objects.get().cancelled_at is None


# --- cancelling ----------------------------------------------------------------------------------------------------


def test_a_cancelled_training_stays_readable_takes_no_attendance_and_counts_nowhere(client, admin_dinas, pendamping):
    kept = make_training(admin_dinas, villages=[JANJU], topic="Pembukuan dasar")
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    attend(admin_dinas, training, ("Siti Aminah", JANJU))
    client.force_login(admin_dinas)

    response = client.post(cancel_url(training), {"reason": "Narasumber berhalangan hadir"})

    assert response.status_code == 302
    training.refresh_from_db()
    assert training.cancelled_at is not None and training.cancelled_by == admin_dinas
    assert training.cancel_reason == "Narasumber berhalangan hadir"
    detail = client.get(reverse("assistance:training_detail", args=[training.pk]))
    content = detail.content.decode()
    assert detail.status_code == 200
    assert "Pelatihan ini dibatalkan pada" in content and "Narasumber berhalangan hadir" in content
    assert "Tambah peserta" not in content and edit_url(training) not in content
    assert client.get(reverse("assistance:training_attendance", args=[training.pk])).status_code == 404
    assert client.get(edit_url(training)).status_code == 404
    with pytest.raises(ValidationError) as refused:
        attend(admin_dinas, training, ("Budi", JANJU))
    assert "daftar hadir tidak dapat diisi" in " ".join(refused.value.messages)
    listing = client.get(reverse("assistance:training_list")).content.decode()
    assert "Dibatalkan" in listing
    totals = client.get(reverse("assistance:dashboard")).context["totals"]
    assert (totals["trainings"], totals["attendees"]) == (1, 0)
    client.force_login(pendamping)
    assert client.get(reverse("assistance:dashboard")).context["totals"]["trainings"] == 1
    assert client.get(reverse("assistance:training_detail", args=[training.pk])).status_code == 200
    entry = AuditEntry.objects.get(action="assistance.cancel_training")
    assert entry.before == {"cancelled_at": None, "cancel_reason": ""}
    assert entry.after["cancel_reason"] == "Narasumber berhalangan hadir"
    assert kept.cancelled_at is None


def test_cancelling_without_a_reason_is_refused_in_indonesian(client, admin_dinas):
    training = make_training(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(cancel_url(training), {"reason": "   "})

    assert response.status_code == 400
    assert "Isi alasan pembatalan." in response.content.decode()
    training.refresh_from_db()
    assert training.cancelled_at is None
    assert not AuditEntry.objects.filter(action="assistance.cancel_training").exists()


def test_a_training_is_cancelled_once_and_then_no_longer_changed(admin_dinas):
    training = make_training(admin_dinas)
    services.cancel_training(actor=admin_dinas, training=training, reason="Ditunda")
    fields = {k: getattr(training, k) for k in services.TRAINING_FIELDS}

    with pytest.raises(ValidationError, match="sudah dibatalkan"):
        services.cancel_training(actor=admin_dinas, training=training, reason="Lagi")
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.update_training(actor=admin_dinas, training=training, village_codes=[JANJU], **fields)


# --- the office of several kabupaten -------------------------------------------------------------------------------


@pytest.fixture
def two_regency_office(paser):
    _outside_regency()
    user = make_user("dinas.dua", Role.ADMIN_DINAS, "64.01")
    make_user("dinas.dua", Role.ADMIN_DINAS, "64.02")
    return user


def create_post(**overrides):
    data = {k: v for k, v in edit_post().items() if k != "villages"}
    data.update(overrides)
    return data


def test_the_office_of_several_kabupaten_chooses_the_kabupaten_of_a_new_training(client, two_regency_office):
    client.force_login(two_regency_office)

    form = client.get(reverse("assistance:training_create"))
    response = client.post(
        reverse("assistance:training_create"), create_post(region="64.02", villages=[OUTSIDE_VILLAGE])
    )

    assert form.status_code == 200 and 'name="region"' in form.content.decode()
    assert response.status_code == 302
    training = Training.objects.get()
    assert (training.region_code, list(training.invited.values_list("village_code", flat=True))) == (
        "64.02",
        [OUTSIDE_VILLAGE],
    )


def test_villages_of_another_kabupaten_than_the_chosen_one_are_refused(client, two_regency_office):
    client.force_login(two_regency_office)

    response = client.post(reverse("assistance:training_create"), create_post(region="64.02", villages=[JANJU]))
    no_region = client.post(reverse("assistance:training_create"), create_post(region="", villages=[JANJU]))

    assert response.status_code == no_region.status_code == 400
    assert "Undang hanya desa di kabupaten yang dipilih." in response.content.decode()
    assert "Kolom ini wajib diisi" in no_region.content.decode()
    assert not Training.objects.exists()


def test_the_office_of_one_kabupaten_is_not_asked_which(client, admin_dinas):
    client.force_login(admin_dinas)

    form = client.get(reverse("assistance:training_create"))
    response = client.post(reverse("assistance:training_create"), create_post(villages=[JANJU]))

    assert 'name="region"' not in form.content.decode()
    assert response.status_code == 302
    assert Training.objects.get().region_code == "64.01"


# --- the list in pages ---------------------------------------------------------------------------------------------


def test_the_training_list_comes_in_pages_of_fifty_in_constant_queries(
    client, admin_dinas, django_assert_max_num_queries
):
    for n in range(51):
        make_training(admin_dinas, villages=[JANJU], topic=f"Pelatihan {n:02d}", start=date(2025, 1, 1))
    client.force_login(admin_dinas)
    url = reverse("assistance:training_list")
    client.get(url)

    with django_assert_max_num_queries(12) as first:
        page_one = client.get(url)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page_two = client.get(url, {"halaman": 2})

    assert len(page_one.context["trainings"]) == 50
    assert [t["topic"] for t in page_two.context["trainings"]] == ["Pelatihan 00"]
    assert "halaman=2" in page_one.content.decode() and "Halaman 1 dari 2" in page_one.content.decode()


@pytest.mark.usefixtures("programme")
def test_the_case_page_no_longer_lists_a_cancelled_training_as_attended(client, admin_dinas):
    training = make_training(admin_dinas, villages=[JANJU])
    attend(admin_dinas, training, ("Siti Aminah", JANJU))
    client.force_login(admin_dinas)
    url = reverse("formation:case_detail", args=[case_for(JANJU).pk])
    before = [t["pk"] for t in client.get(url).context["trainings_attended"]]

    services.cancel_training(actor=admin_dinas, training=training, reason="Ditunda")

    assert before == [training.pk]
    assert client.get(url).context["trainings_attended"] == []


def test_a_cancelled_training_takes_no_material(client, admin_dinas):
    training = make_training(admin_dinas, villages=[JANJU])
    client.force_login(admin_dinas)
    client.post(cancel_url(training), {"reason": "Ditunda"})

    response = client.post(
        reverse("assistance:material_upload", args=[training.pk]),
        {
            "title": "Modul",
            "file": SimpleUploadedFile("modul.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )

    assert response.status_code == 400
    assert "Pelatihan ini dibatalkan: materi tidak dapat ditambahkan." in response.content.decode()
    assert not TrainingMaterial.objects.exists()
