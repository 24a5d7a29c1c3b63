"""The Musdesus invitees picked from the village's roster (people.forms.RosterField), with pasted rows landing in the
roster and the typed lines still accepted; the accepted elements listed where an element is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import Participant
from kopdes.formation.musdesus.forms import parse_lines
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.people import services as people
from kopdes.people.models import Person

pytestmark = pytest.mark.django_db

SCHEDULE = {"date": "2025-05-20", "time": "09:00", "place": "Balai Desa Janju", "convener": "Ketua BPD"}


@pytest.fixture
def janju(programme, admin_dinas):
    return advance(case_for(JANJU), 1, submitter=admin_dinas)


def _send(client, address, data):
    token = client.get(address).context["form"]["dibaca"].value()
    return client.post(address, {**data, "dibaca": token})


def test_invitees_picked_pasted_and_typed(client, operator_janju, janju):
    siti = people.create_person(
        actor=operator_janju, village_code=JANJU, data={"name": "Siti Aminah", "position": "Ketua PKK"}
    )
    client.force_login(operator_janju)
    address = reverse("formation:musdesus_schedule", kwargs={"pk": janju.pk})
    response = _send(
        client,
        address,
        {
            **SCHEDULE,
            "invitees_picked": [str(siti.pk)],
            "invitees_paste": "Budi Santoso\t6401041203850002\tL\tDusun II\t2\t",
            "invitees": "Camat Tanah Grogot; Kecamatan",
        },
    )
    assert response.status_code == 302
    invitees = Participant.objects.filter(kind="invitee").order_by("order")
    assert [(p.name, p.note, p.person_id is not None) for p in invitees] == [
        ("Siti Aminah", "Ketua PKK", True),
        ("Budi Santoso", "", True),
        ("Camat Tanah Grogot", "Kecamatan", False),
    ]
    assert Person.objects.filter(village_code=JANJU).count() == 2  # the pasted person is on the roster
    form = client.get(address).context["form"]
    assert sorted(form.initial["invitees_picked"]) == sorted(p.person_id for p in invitees[:2])
    assert form.initial["invitees"] == "Camat Tanah Grogot; Kecamatan"


def test_a_person_of_another_village_cannot_be_picked(client, operator_janju, admin_dinas, janju):
    other = people.create_person(actor=admin_dinas, village_code=SUNGAI_TERIK, data={"name": "Orang Lain"})
    client.force_login(operator_janju)
    address = reverse("formation:musdesus_schedule", kwargs={"pk": janju.pk})
    response = _send(client, address, {**SCHEDULE, "invitees_picked": [str(other.pk)]})
    assert response.status_code == 400
    assert not Participant.objects.exists()


def test_a_bad_pasted_row_saves_nothing(client, operator_janju, janju):
    client.force_login(operator_janju)
    address = reverse("formation:musdesus_schedule", kwargs={"pk": janju.pk})
    response = _send(client, address, {**SCHEDULE, "invitees_paste": "Budi\t6401041203850002\nAni\t123"})
    body = response.content.decode()
    assert response.status_code == 400 and ("Baris 2" in body or "Row 2" in body)
    assert not Person.objects.exists() and not Participant.objects.exists()


def test_masyarakat_is_an_element_and_a_refused_one_lists_the_accepted():
    assert parse_lines("Pak Amir; L; masyarakat", "attendee")[0]["element"] == "masyarakat"
    assert parse_lines("Bu Rina; P; warga", "attendee")[0]["element"] == "masyarakat"
    with pytest.raises(ValidationError) as refused:
        parse_lines("Pak Amir; L; penduduk", "attendee")
    message = " ".join(refused.value.messages)
    assert "tokoh masyarakat" in message and "masyarakat" in message and "pemuda" in message
    assert "tokoh_masyarakat" not in message
