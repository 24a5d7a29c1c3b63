"""The facilitator team, the Musdesus attendance, the founders and the board candidates picked from the village's
roster (people.forms.RosterField with per-person extras), pasted rows through the roster's checks, another village's
person refused, and the unlinked rows of old lists brought back in the paste box."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import FacilitatorMember, Participant
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.people import services as people
from kopdes.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def janju(programme, admin_dinas):
    return advance(case_for(JANJU), 1, submitter=admin_dinas)


@pytest.fixture
def siti(operator_janju):
    return people.create_person(
        actor=operator_janju,
        village_code=JANJU,
        data={"name": "Siti Aminah", "nik": "6401045505900001", "sex": "P", "phone": "081234567890"},
    )


def _send(client, address, data):
    token = client.get(address).context["form"]["dibaca"].value()
    return client.post(address, {**data, "dibaca": token})


def test_team_picked_with_element_and_position_and_pasted(client, operator_janju, janju, siti):
    client.force_login(operator_janju)
    address = reverse("formation:team", kwargs={"pk": janju.pk})
    response = _send(
        client,
        address,
        {
            "members_picked": [str(siti.pk)],
            f"members_picked-position-{siti.pk}": "Ketua",
            f"members_picked-element-{siti.pk}": "perempuan",
            "members_paste": "Budi Santoso\t6401041203850002\tL\tDusun II\t2\t081298765432\tSekretaris\tpemuda",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    members = list(FacilitatorMember.objects.order_by("order"))
    assert [(m.name, m.position, m.element, m.phone, m.person_id is not None) for m in members] == [
        ("Siti Aminah", "Ketua", "perempuan", "081234567890", True),
        ("Budi Santoso", "Sekretaris", "pemuda", "081298765432", True),
    ]
    form = client.get(address).context["form"]
    assert form.initial["members_picked"] == [siti.pk, members[1].person_id]
    assert form.initial["members_extras"][siti.pk] == {"position": "Ketua", "element": "perempuan"}


def test_team_element_missing_for_a_picked_person_is_refused(client, operator_janju, janju, siti):
    client.force_login(operator_janju)
    address = reverse("formation:team", kwargs={"pk": janju.pk})
    response = _send(client, address, {"members_picked": [str(siti.pk)]})
    assert response.status_code == 400
    assert "Siti Aminah" in response.content.decode()
    assert not FacilitatorMember.objects.exists()


def test_team_person_of_another_village_refused(client, operator_janju, admin_dinas, janju):
    other = people.create_person(actor=admin_dinas, village_code=SUNGAI_TERIK, data={"name": "Orang Lain"})
    client.force_login(operator_janju)
    address = reverse("formation:team", kwargs={"pk": janju.pk})
    response = _send(
        client, address, {"members_picked": [str(other.pk)], f"members_picked-element-{other.pk}": "pemuda"}
    )
    assert response.status_code == 400
    assert not FacilitatorMember.objects.exists()


def test_attendance_picked_and_pasted_bad_row_saves_nothing(client, operator_janju, janju, siti):
    client.force_login(operator_janju)
    address = reverse("formation:musdesus_attendance", kwargs={"pk": janju.pk})
    bad = _send(client, address, {"attendees_picked": [str(siti.pk)], "attendees_paste": "Ani\t\tP\t\t\t\tnelayan"})
    assert bad.status_code == 400 and "nelayan" in bad.content.decode()
    assert not Participant.objects.exists() and Person.objects.count() == 1
    response = _send(
        client,
        address,
        {
            "attendees_picked": [str(siti.pk)],
            f"attendees_picked-element-{siti.pk}": "masyarakat",
            "attendees_paste": "Ani\t\tP\t\t\t\tpkk",
        },
    )
    assert response.status_code == 302
    rows = [(p.name, p.sex, p.element, p.nik) for p in Participant.objects.filter(kind="attendee").order_by("order")]
    assert rows == [("Siti Aminah", "P", "masyarakat", "6401045505900001"), ("Ani", "P", "perempuan", "")]


def test_board_and_founders_picked(client, operator_janju, janju, siti):
    client.force_login(operator_janju)
    address = reverse("formation:musdesus_decisions", kwargs={"pk": janju.pk})
    form = client.get(address).context["form"]
    data = {key: value for key, value in form.initial.items() if isinstance(value, str | int) and value is not None}
    response = _send(
        client,
        address,
        {
            **data,
            "pathway": "pendirian_baru",
            "cooperative_name": "Koperasi Desa Merah Putih Janju",
            "founders_picked": [str(siti.pk)],
            "pengurus_picked": [str(siti.pk)],
            f"pengurus_picked-position-{siti.pk}": "ketua",
            "pengawas_paste": "Pak Kades\t\tL\t\t\t\tketua\tkades",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pengurus = Participant.objects.get(kind="pengurus")
    assert (pengurus.name, pengurus.position, pengurus.nik) == ("Siti Aminah", "ketua", "6401045505900001")
    pengawas = Participant.objects.get(kind="pengawas")
    assert (pengawas.position, pengawas.village_office, pengawas.person_id is not None) == ("ketua", "head", True)
