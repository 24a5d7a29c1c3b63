"""Board seats and members picked from the village's roster (people): one NIK per person — a picked person's NIK
is the roster's, a typed NIK that the roster holds under another name is refused (in Indonesian, nothing saved), and a
person typed anew lands in the roster."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.cooperatives.models import BoardMember, Member
from kopdes.people import services as people
from kopdes.people.models import Person

pytestmark = pytest.mark.django_db

SITI_NIK = "6401045505900001"
OTHER_NIK = "6401045505900002"


@pytest.fixture
def siti(operator_janju):
    return people.create_person(
        actor=operator_janju,
        village_code=JANJU,
        data={"name": "Siti Aminah", "nik": SITI_NIK, "sex": "P", "dusun": "Dusun II", "rt": "3"},
    )


@pytest.fixture
def operator(client, operator_janju):
    client.force_login(operator_janju)
    return client


MEMBER = {"simpanan_pokok": "100000", "simpanan_wajib": "0"}


def test_a_picked_person_is_the_board_member_and_the_member_with_the_rosters_nik(operator, janju, siti):
    seat = operator.post(
        reverse("cooperatives:add_seat", args=[janju.pk]),
        {"organ": "pengurus", "position": "ketua", "person": [str(siti.pk)]},
    )
    assert seat.status_code == 302
    member = operator.post(reverse("cooperatives:add_member", args=[janju.pk]), {**MEMBER, "person": [str(siti.pk)]})
    assert member.status_code == 302
    board, registered = BoardMember.objects.get(), Member.objects.get()
    assert (board.name, board.nik) == ("Siti Aminah", SITI_NIK)
    assert (registered.name, registered.nik, registered.dusun) == ("Siti Aminah", SITI_NIK, "Dusun II")
    assert Person.objects.count() == 1


def test_a_picked_person_with_another_nik_typed_is_refused(operator, janju, siti):
    response = operator.post(
        reverse("cooperatives:add_member", args=[janju.pk]), {**MEMBER, "person": [str(siti.pk)], "nik": OTHER_NIK}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "satu NIK" in body and "Siti Aminah" in body
    assert not Member.objects.exists()


def test_a_typed_nik_on_the_roster_under_another_name_is_refused(operator, janju, siti):
    for address, post in (
        ("cooperatives:add_member", {**MEMBER, "name": "Siti Rahma", "nik": SITI_NIK}),
        ("cooperatives:add_seat", {"organ": "pengawas", "position": "anggota", "name": "Siti Rahma", "nik": SITI_NIK}),
    ):
        response = operator.post(reverse(address, args=[janju.pk]), post)
        body = response.content.decode()
        assert response.status_code == 400, address
        assert "Siti Aminah" in body and "pilih orang tersebut" in body and "Siti Rahma" in body  # input kept
    assert not Member.objects.exists() and not BoardMember.objects.exists()


def test_a_member_typed_anew_lands_in_the_roster(operator, janju):
    response = operator.post(
        reverse("cooperatives:add_member", args=[janju.pk]), {**MEMBER, "name": "Budi Santoso", "nik": OTHER_NIK}
    )
    assert response.status_code == 302
    assert Person.objects.get(village_code=JANJU).name == "Budi Santoso"
    assert Person.objects.get().nik == OTHER_NIK


def test_the_picker_shows_masked_niks_to_the_pengurus(client, pengurus_janju, janju, siti):
    client.force_login(pengurus_janju)
    page = client.get(reverse("cooperatives:add_member", args=[janju.pk])).content.decode()
    assert "Siti Aminah" in page and SITI_NIK not in page
