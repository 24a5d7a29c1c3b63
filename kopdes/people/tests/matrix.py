"""The roster's URLs (and the OpenSID pick in imports) in the permission matrix (kopdes/core/tests/
test_permission_matrix.py). Viewing: Cap.VIEW_PERSONAL on the village (not mitra); editing: Cap.EDIT (not pimpinan,
not mitra); a village outside the scope is 404 for everyone."""

from kopdes.tests.matrix import CAST, OUTSIDE_VILLAGE, Entry, answers

VIEW = answers(200, mitra=404)
EDIT = answers(200, pimpinan=404, mitra=404)


def _village(where: str):
    return lambda ctx: {"code": ctx["people"][where]}


def _person(where: str):
    return lambda ctx: {"code": ctx["people"][where], "pk": ctx["people"][f"{where}_person"].pk}


def _entry(method: str, inside: dict[str, int], kwargs=_village, redirects_to: str | None = None) -> Entry:
    return Entry(
        method,
        inside=inside,
        outside=answers(404),
        inside_kwargs=kwargs("inside"),
        outside_kwargs=kwargs("outside"),
        redirects_to=redirects_to,
    )


ENTRIES: dict[str, Entry] = {
    "people:roster": _entry("GET", VIEW),
    "people:search": _entry("GET", VIEW),
    "people:person_add": _entry("GET", EDIT),
    "people:paste": _entry("GET", EDIT),
    # an empty POST from the picker's "add a new person": the name is missing (400 with the errors as JSON)
    "people:create_inline": _entry("POST", answers(400, pimpinan=404, mitra=404)),
    "people:person_edit": _entry("GET", EDIT, kwargs=_person),
    "people:person_retire": _entry(
        "POST", answers(302, pimpinan=404, mitra=404), kwargs=_person, redirects_to="people:roster"
    ),
    "imports:opensid": _entry("GET", EDIT),
}


def context(role: str) -> dict:
    from kopdes.people.models import Person
    from kopdes.regions.models import Kind, Level, Region

    province = Region.objects.get(code="64")
    kabupaten, _ = Region.objects.get_or_create(
        code="64.02", defaults={"name": "Luar", "level": Level.KABUPATEN, "kind": Kind.KABUPATEN, "parent": province}
    )
    kecamatan, _ = Region.objects.get_or_create(
        code="64.02.01",
        defaults={"name": "Luar", "level": Level.KECAMATAN, "kind": Kind.KECAMATAN, "parent": kabupaten},
    )
    Region.objects.get_or_create(
        code="64.02.01.2001",
        defaults={"name": "Desa Luar", "level": Level.DESA, "kind": Kind.DESA, "parent": kecamatan},
    )
    inside, outside = CAST[role].inside, OUTSIDE_VILLAGE[role]
    return {
        "inside": inside,
        "outside": outside,
        "inside_person": Person.objects.create(village_code=inside, name="Siti Aminah"),
        "outside_person": Person.objects.create(village_code=outside, name="Budi Santoso"),
    }
