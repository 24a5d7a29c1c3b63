"""The village's roster is among the people formation knows (for the anonymisation of public texts): the roster's
names, retired people included, and never another village's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.known_people import known_people
from kopdes.people import services as people
from kopdes.people.models import Person

pytestmark = pytest.mark.django_db


def test_roster_names_are_known_in_their_village_only(programme, operator_janju):
    people.create_person(actor=operator_janju, village_code=JANJU, data={"name": "Hj. Nurhayati  Daeng"})
    retired = people.create_person(actor=operator_janju, village_code=JANJU, data={"name": "La Ode Baco"})
    Person.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    Person.objects.create(village_code=SUNGAI_TERIK, name="Andi Wijaya")

    names = {name.casefold() for name in known_people(JANJU)}

    assert {"hj. nurhayati daeng", "la ode baco"} <= names
    assert "andi wijaya" not in names
