"""The registry URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

Editing follows the registry rule (kopdes/cooperatives/access.py): the office, the camat and the village operator in
scope (and the pengurus role, tested in test_access.py); pimpinan, mitra and pendamping read. Out of scope: 404."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.accounts.models import User
from kopdes.cooperatives import services
from kopdes.cooperatives.models import OutletStatus
from kopdes.tests.matrix import Entry, answers, everyone, formation_cases, no_kwargs
from kopdes.tests.samples import PDF_BYTES

EDITORS = answers(404, admin_dinas=200, camat=200, operator_desa=200)
POSTED = answers(404, admin_dinas=302, camat=302, operator_desa=302)


def _kwargs(key: str | None = None, kwarg: str | None = None):
    def build(where):
        def kwargs(ctx):
            found = ctx["cooperatives"][where]
            result = {"pk": found["cooperative"].pk}
            if key:
                result[kwarg] = found[key].pk
            return result

        return kwargs

    return build


def _entry(method: str, inside: dict, key: str | None = None, kwarg: str | None = None, redirects_to=None) -> Entry:
    build = _kwargs(key, kwarg)
    return Entry(
        method,
        inside=inside,
        outside=answers(404),
        inside_kwargs=build("inside"),
        outside_kwargs=build("outside"),
        redirects_to=redirects_to,
    )


def _minutes(where):
    return lambda ctx: {"pk": ctx["cooperatives"][where]["rat"].pk}


ENTRIES: dict[str, Entry] = {
    "cooperatives:list": Entry("GET", inside=everyone(200), inside_kwargs=no_kwargs),
    "cooperatives:detail": _entry("GET", answers(200)),
    "cooperatives:edit_profile": _entry("GET", EDITORS),
    "cooperatives:add_seat": _entry("GET", EDITORS),
    "cooperatives:end_seat": _entry("GET", EDITORS, "seat", "seat_pk"),
    # no Musdesus candidates in the matrix: refused with a message, back to the page
    "cooperatives:board_from_musdesus": _entry("POST", POSTED, redirects_to="cooperatives:detail"),
    # mitra sees the counts, never the names
    "cooperatives:members": _entry("GET", answers(200)),
    # the members' sheet: names and (masked unless the role edits the registry) NIKs; mitra sees no names
    "cooperatives:members_xlsx": _entry("GET", answers(200, mitra=404)),
    "cooperatives:add_member": _entry("GET", EDITORS),
    "cooperatives:edit_member": _entry("GET", EDITORS, "member", "member_pk"),
    # without a date: refused with a message, back to the list
    "cooperatives:member_left": _entry("POST", POSTED, "member", "member_pk", redirects_to="cooperatives:members"),
    # an active member: refused with a message, back to the list
    "cooperatives:member_rejoin": _entry("POST", POSTED, "member", "member_pk", redirects_to="cooperatives:members"),
    "cooperatives:add_outlet": _entry("GET", EDITORS),
    "cooperatives:edit_outlet": _entry("GET", EDITORS, "outlet", "outlet_pk"),
    "cooperatives:record_rat": _entry("GET", EDITORS),
    # minutes name people: not for mitra
    "cooperatives:rat_minutes": Entry(
        "GET",
        inside=answers(200, mitra=404),
        outside=answers(404),
        inside_kwargs=_minutes("inside"),
        outside_kwargs=_minutes("outside"),
    ),
}


def context(role: str) -> dict:
    cases = formation_cases(role)
    office = User.objects.get(username="matrix.office")
    built = {}
    for where in ("inside", "outside"):
        cooperative = cases[where]
        code = "".join(cooperative.region_code.split(".")[:3])
        built[where] = {
            "cooperative": cooperative,
            "seat": services.add_seat(actor=office, cooperative=cooperative, organ="pengurus", name="Ketua Uji"),
            "member": services.add_member(
                actor=office, cooperative=cooperative, nik=f"{code}1203850001", name="Anggota Uji"
            ),
            "outlet": services.save_outlet(
                actor=office, cooperative=cooperative, unit=None, other_type="Warung", status=OutletStatus.PLANNED
            ),
            "rat": services.record_rat(
                actor=office,
                cooperative=cooperative,
                book_year=2025,
                held=True,
                held_on=date(2026, 3, 1),
                minutes=SimpleUploadedFile("notulen.pdf", PDF_BYTES, content_type="application/pdf"),
            ),
        }
    return built
