"""A village's roster through HTTP and its services: scope (404 outside it), NIK masking for roles that may not see
NIKs, duplicate NIKs refused in plain words, pasted rows checked all-or-nothing with their row numbers, and the picker's
JSON endpoints."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU
from kopdes.people import services
from kopdes.people.forms import parse_paste
from kopdes.people.models import Person, Source
from kopdes.tests.factories import make_user

SITI = "6401045708900001"  # woman, born 17-08-1990, registered in Kecamatan Tanah Grogot
BUDI = "6401041203850002"  # man, born 12-03-1985


@pytest.fixture
def siti(operator_janju):
    return services.create_person(
        actor=operator_janju,
        village_code=JANJU,
        data={"name": "Siti Aminah", "nik": SITI, "dusun": "Dusun I", "rt": "3", "position": "Ketua PKK"},
    )


@pytest.fixture
def pengurus_janju(paser):
    return make_user("pengurus.janju", Role.PENGURUS, JANJU)


def test_create_cleans_reads_sex_from_the_nik_and_is_audited(siti):
    assert (siti.nik, siti.sex, siti.rt) == (SITI, "P", "003")
    entry = AuditEntry.objects.get(action="people.create")
    assert SITI not in json.dumps(entry.after) and entry.after["name"] == "Siti Aminah"


def test_duplicate_nik_is_refused_with_a_clear_message(client, operator_janju, siti):
    client.force_login(operator_janju)
    response = client.post(
        reverse("people:person_add", kwargs={"code": JANJU}), {"name": "Siti A.", "nik": "6401 0457 0890 0001"}
    )
    assert response.status_code == 400
    assert "Siti Aminah" in response.content.decode()  # names the person already on the roster
    assert Person.objects.filter(nik=SITI).count() == 1


def test_retired_person_frees_the_nik_and_is_never_deleted(operator_janju, siti):
    services.retire_person(actor=operator_janju, person=siti)
    again = services.create_person(actor=operator_janju, village_code=JANJU, data={"name": "Siti Aminah", "nik": SITI})
    assert Person.objects.filter(nik=SITI).count() == 2 and again.pk != siti.pk


def test_edit_carries_the_stale_token(client, operator_janju, siti):
    client.force_login(operator_janju)
    url = reverse("people:person_edit", kwargs={"code": JANJU, "pk": siti.pk})
    token = client.get(url).context["form"].initial["dibaca"]
    services.update_person(actor=operator_janju, person=siti, data={"name": "Siti Aminah S.", "nik": SITI})
    response = client.post(url, {"dibaca": token, "name": "Siti Amina", "nik": SITI})
    assert response.status_code == 409
    siti.refresh_from_db()
    assert siti.name == "Siti Aminah S."


def test_out_of_scope_village_answers_404(client, operator_sungai_terik, siti):
    client.force_login(operator_sungai_terik)
    for url in (
        reverse("people:roster", kwargs={"code": JANJU}),
        reverse("people:search", kwargs={"code": JANJU}) + "?q=siti",
        reverse("people:person_edit", kwargs={"code": JANJU, "pk": siti.pk}),
        reverse("imports:opensid", kwargs={"code": JANJU}),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("people:create_inline", kwargs={"code": JANJU}), {"name": "X"})
    assert response.status_code == 404
    with pytest.raises(Http404):
        services.create_person(actor=operator_sungai_terik, village_code=JANJU, data={"name": "X"})


def test_pengurus_sees_masked_niks_and_cannot_edit(client, pengurus_janju, siti):
    client.force_login(pengurus_janju)
    page = client.get(reverse("people:roster", kwargs={"code": JANJU})).content.decode()
    assert "Siti Aminah" in page and SITI not in page and "640104********01" in page
    found = client.get(reverse("people:search", kwargs={"code": JANJU}), {"q": "sit"}).json()["results"]
    assert [(r["name"], r["nik"]) for r in found] == [("Siti Aminah", "640104********01")]
    assert client.get(reverse("people:search", kwargs={"code": JANJU}), {"q": "6401045708"}).json()["results"] == []
    assert client.get(reverse("people:person_add", kwargs={"code": JANJU})).status_code == 404


def test_operator_sees_the_full_nik_and_searches_by_it(client, operator_janju, siti):
    client.force_login(operator_janju)
    found = client.get(reverse("people:search", kwargs={"code": JANJU}), {"q": "57089000"}).json()["results"]
    assert [(r["id"], r["nik"], r["dusun"]) for r in found] == [(siti.pk, SITI, "Dusun I")]


def test_search_answers_at_most_twenty(client, operator_janju):
    Person.objects.bulk_create(
        Person(village_code=JANJU, name=f"Warga {i:02}", search_name=f"warga {i:02}") for i in range(30)
    )
    client.force_login(operator_janju)
    found = client.get(reverse("people:search", kwargs={"code": JANJU}), {"q": "warga"}).json()["results"]
    assert len(found) == 20


def test_inline_create_answers_json(client, operator_janju, siti):
    client.force_login(operator_janju)
    url = reverse("people:create_inline", kwargs={"code": JANJU})
    created = client.post(url, {"name": "Budi Santoso", "nik": BUDI, "dusun": "Dusun II"})
    assert created.status_code == 201 and created.json()["name"] == "Budi Santoso"
    refused = client.post(url, {"name": "Siti lagi", "nik": SITI})
    assert refused.status_code == 400 and "Siti Aminah" in refused.json()["errors"]["nik"][0]


def test_paste_reports_every_bad_row_by_number_and_saves_nothing(client, operator_janju):
    client.force_login(operator_janju)
    rows = "\n".join(
        [
            "Nama\tNIK\tJK\tDusun\tRT\tHP",
            f"Budi Santoso\t{BUDI}\tL\tDusun II\t2\t0812 5555 1234",
            "Ani\t12345\tP\tDusun I\t1\t",
            f"Wati\t{SITI}\tL\tDusun I\t1\t",
        ]
    )
    response = client.post(reverse("people:paste", kwargs={"code": JANJU}), {"rows": rows})
    body = response.content.decode()
    assert response.status_code == 400
    assert ("Baris 3:" in body or "Row 3:" in body) and ("Baris 4:" in body or "Row 4:" in body)
    assert "Baris 2:" not in body and "Row 2:" not in body
    assert not Person.objects.exists()


def test_paste_lands_in_the_roster_and_a_known_nik_is_the_same_person(operator_janju, siti):
    rows = parse_paste(f"Siti Aminah\t{SITI}\tP\tDusun I\t3\t\nBudi Santoso\t{BUDI}\tL\tDusun II\t002/001\t")
    people = services.add_people(actor=operator_janju, village_code=JANJU, rows=rows, source=Source.PASTE)
    assert people[0].pk == siti.pk and (people[1].rt, people[1].rw) == ("002", "001")
    assert Person.objects.count() == 2


def test_paste_refuses_the_same_nik_twice(operator_janju):
    rows = parse_paste(f"Budi\t{BUDI}\nBudi S\t{BUDI}")
    with pytest.raises(ValidationError) as refused:
        services.add_people(actor=operator_janju, village_code=JANJU, rows=rows, source=Source.PASTE)
    assert any("2" in message for message in refused.value.messages)
    assert not Person.objects.exists()
