"""The picker keeps the order people were saved in, its search ignores accents and case (on SQLite and PostgreSQL
alike: `Person.search_name`), and a person pasted twice in one list is reported by row instead of silently dropped."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.formation.models import Musdesus, Participant
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.people import services
from kopdes.people.models import Person

pytestmark = pytest.mark.django_db

SCHEDULE = {"date": "2025-05-20", "time": "09:00", "place": "Balai Desa Janju", "convener": "Ketua BPD"}


def add(actor, name: str, **fields) -> Person:
    return services.create_person(actor=actor, village_code=JANJU, data={"name": name, **fields})


def found(client, query: str) -> list[str]:
    answer = client.get(reverse("people:search", kwargs={"code": JANJU}), {"q": query})
    return [row["name"] for row in answer.json()["results"]]


@pytest.fixture
def janju(programme, admin_dinas):
    return advance(case_for(JANJU), 1, submitter=admin_dinas)


@pytest.fixture
def operator(client, operator_janju):
    client.force_login(operator_janju)
    return client


def send(client, address: str, data: dict):
    token = client.get(address).context["form"]["dibaca"].value()
    return client.post(address, {**data, "dibaca": token})


def test_the_search_ignores_accents_and_case(operator, operator_janju):
    add(operator_janju, "Ibu Déwi Lestari")
    add(operator_janju, "ABDUL GHOFFAR")
    for query in ("dew", "DEW", "déw", "Dewi lest", "DÉWI"):
        assert found(operator, query) == ["Ibu Déwi Lestari"], query
    assert found(operator, "ghoffar") == ["ABDUL GHOFFAR"]
    renamed = Person.objects.get(name="ABDUL GHOFFAR")
    services.update_person(actor=operator_janju, person=renamed, data={"name": "Abdul Ghöffar"})
    assert found(operator, "ghoff") == ["Abdul Ghöffar"]  # the search name follows an edit


def test_the_data_migration_fills_the_search_name_of_people_entered_before(operator_janju):
    Person.objects.bulk_create(
        [Person(village_code=JANJU, name="Siti Nur'aini Ré"), Person(village_code=JANJU, name="X")]
    )
    assert set(Person.objects.values_list("search_name", flat=True)) == {""}
    importlib.import_module("kopdes.people.migrations.0003_fill_search_name").fill(apps, None)
    assert sorted(Person.objects.values_list("search_name", flat=True)) == ["siti nur'aini re", "x"]


def test_saved_people_come_back_in_the_order_they_were_saved(operator, operator_janju, janju):
    zaenal, abdul, maria = (add(operator_janju, n) for n in ("Zaenal Arifin", "Abdul Ghoffar", "Maria Ulfa"))
    address = reverse("formation:musdesus_schedule", kwargs={"pk": janju.pk})
    picked = [str(zaenal.pk), str(maria.pk), str(abdul.pk)]  # not the roster's name order
    assert send(operator, address, {**SCHEDULE, "invitees_picked": picked}).status_code == 302
    saved = Participant.objects.filter(kind="invitee").order_by("order").values_list("person_id", flat=True)
    assert [str(pk) for pk in saved] == picked
    page = operator.get(address).content.decode()
    select = page[page.index('name="invitees_picked"') :]
    select = select[: select.index("</select>")]
    shown = re.findall(r'<option value="(\d+)"[^>]*selected', select)
    assert shown == picked  # the chips (built from the selected options) and the next save keep this order


def test_a_person_pasted_twice_in_one_list_is_reported_by_row(operator, operator_janju, janju):
    address = reverse("formation:musdesus_attendance", kwargs={"pk": janju.pk})
    paste = "Ahmad Dé\t\tL\nBudi Santoso\t6401041203850002\tL\nahmad dé\t\tL\nBudi S.\t6401041203850002\tL"
    response = send(operator, address, {"attendees_paste": paste})
    body = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"(Baris|Row) 3:.*ahmad dé.*1", body, re.IGNORECASE), body[body.find("invalid-feedback") :][:800]
    assert re.search(r"(Baris|Row) 4:", body)
    assert not Person.objects.exists() and not Musdesus.objects.filter(people__isnull=False).exists()
    assert "ahmad dé" in body  # the form keeps what was typed


def test_a_pasted_person_already_picked_in_the_list_is_reported(operator, operator_janju, janju):
    siti = add(operator_janju, "Siti Aminah", nik="6401045708900001")
    address = reverse("formation:musdesus_attendance", kwargs={"pk": janju.pk})
    response = send(
        operator,
        address,
        {"attendees_picked": [str(siti.pk)], "attendees_paste": "Budi\t6401041203850002\tL\nSiti\t6401045708900001\tP"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"(Baris|Row) 2:.*Siti Aminah", body)
    assert list(Person.objects.values_list("name", flat=True)) == ["Siti Aminah"]  # Budi not added either
