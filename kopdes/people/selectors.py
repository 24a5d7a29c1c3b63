"""Reads of a village's roster: the list page, the picker's search, and each person as a user may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kopdes.cleaners.nik import normalise
from kopdes.core.nik import display_nik
from kopdes.people.cleaning import search_key
from kopdes.people.models import Person, PersonQuerySet

SEARCH_LIMIT = 20  # the picker shows at most this many matches; a longer list is refined by typing more
# Positions suggested (a datalist) for the free-text `position`; the village's own entries are added to them.
POSITION_SUGGESTIONS = (
    "Kepala Desa",
    "Lurah",
    "Sekretaris Desa",
    "Perangkat Desa",
    "Kepala Dusun",
    "Ketua RT",
    "Ketua RW",
    "Ketua BPD",
    "Anggota BPD",
    "Ketua LPMK",
    "Ketua PKK",
    "Ketua Karang Taruna",
    "Tokoh masyarakat",
    "Tokoh agama",
    "Pelaku usaha",
    "Warga",
)


def roster(village_code: str) -> PersonQuerySet:
    """The people on the village's roster (retired ones left out), by name."""
    return Person.objects.of_village(village_code).on_roster().order_by("name", "pk")


def names(village_code: str) -> list[str]:
    """The names of every person the roster of `village_code` ever held (retired ones too: they stay known), one
    query."""
    return list(Person.objects.of_village(village_code).values_list("name", flat=True))


def search(village_code: str, query: str = "", *, may_see_nik: bool = False) -> PersonQuerySet:
    """The village's people whose name (or dusun, or position) holds every word of `query`, ignoring case and, in
    the name, accents ("dew" finds "Déwi": `Person.search_name`); digits also match the NIK, but only for a user who
    may see it (else a NIK search would tell whose NIK it is)."""
    people = roster(village_code)
    words = query.split()
    for word in words:
        match = Q(search_name__contains=search_key(word)) | Q(dusun__icontains=word) | Q(position__icontains=word)
        digits = normalise(word)
        if may_see_nik and digits.isdigit() and len(digits) >= 4:
            match |= Q(nik__contains=digits)
        people = people.filter(match)
    return people


def as_choice(person: Person, *, may_see_nik: bool) -> dict[str, Any]:
    """One person as the picker's JSON shows them: {"id", "name", "nik" (masked unless allowed), "dusun", "rt_rw",
    "position", "label"}."""
    nik = display_nik(person.nik, may_see=may_see_nik)
    place = " ".join(part for part in (person.dusun, f"RT {person.rt_rw}" if person.rt_rw else "") if part)
    return {
        "id": person.pk,
        "name": person.name,
        "nik": nik,
        "dusun": person.dusun,
        "rt_rw": person.rt_rw,
        "position": person.position,
        "label": " · ".join(part for part in (person.name, place, nik) if part),
    }


def position_suggestions(village_code: str) -> list[str]:
    own = roster(village_code).exclude(position="").values_list("position", flat=True).distinct()[:50]
    seen: dict[str, str] = {}
    for value in [*POSITION_SUGGESTIONS, *own]:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())
