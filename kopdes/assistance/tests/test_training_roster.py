"""Training attendees picked from the rosters (people) of the invited villages the user may record: the person's
name, village and NIK come from the roster, each with a role; another village's person is refused; the attendance
table masks the NIK for those who may not see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.assistance.models import TrainingAttendee
from kopdes.assistance.tests.activities_helpers import VALID_NIK, make_training
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.tests.conftest import programme  # noqa: F401
from kopdes.people.models import Person

pytestmark = pytest.mark.django_db

EMPTY_ROWS = {"p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0"}


@pytest.fixture
def rifai():
    return Person.objects.create(village_code=JANJU, name="Ahmad Rifai", nik=VALID_NIK, sex="L")


def test_the_pendamping_picks_attendees_from_the_village_roster_with_their_role(client, admin_dinas, pendamping, rifai):
    training = make_training(admin_dinas)  # Janju (the pendamping's kecamatan) and Sungai Terik
    stranger = Person.objects.create(village_code=SUNGAI_TERIK, name="Orang Luar")
    client.force_login(pendamping)
    url = reverse("assistance:training_attendance", args=[training.pk])

    page = client.get(url)
    assert [code for code, _field in page.context["roster_form"].pickers()] == [JANJU]
    forged = client.post(
        url, {**EMPTY_ROWS, "r-v0_picked": [str(stranger.pk)], f"r-v0_picked-role-{stranger.pk}": "anggota"}
    )
    no_role = client.post(url, {**EMPTY_ROWS, "r-v0_picked": [str(rifai.pk)]})
    own = client.post(url, {**EMPTY_ROWS, "r-v0_picked": [str(rifai.pk)], f"r-v0_picked-role-{rifai.pk}": "pengurus"})

    assert forged.status_code == 400 and no_role.status_code == 400
    assert "Ahmad Rifai" in no_role.content.decode()  # the person missing a role is named
    assert own.status_code == 302
    attendee = TrainingAttendee.objects.get()
    assert (attendee.name, attendee.village_code, attendee.nik, attendee.role) == (
        "Ahmad Rifai", JANJU, VALID_NIK, "pengurus",
    )  # fmt: skip


def test_the_attendance_table_masks_the_nik_for_readers(client, admin_dinas, pendamping, pimpinan, rifai):
    training = make_training(admin_dinas)
    client.force_login(pendamping)
    url = reverse("assistance:training_attendance", args=[training.pk])
    client.post(url, {**EMPTY_ROWS, "r-v0_picked": [str(rifai.pk)], f"r-v0_picked-role-{rifai.pk}": "anggota"})
    detail = reverse("assistance:training_detail", args=[training.pk])

    assert VALID_NIK in client.get(detail).content.decode()  # the pendamping edits the village: the full NIK
    client.force_login(pimpinan)
    body = client.get(detail).content.decode()
    assert "Ahmad Rifai" in body and VALID_NIK not in body and "640104********03" in body
