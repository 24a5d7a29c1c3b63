"""The documents URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py)."""

from kopdes.tests.matrix import Entry, answers

ENTRIES: dict[str, Entry] = {
    # only the office edits its letterhead; out of scope (another regency) is 404 like everything else
    "documents:letterhead": Entry(
        "GET",
        inside=answers(404, admin_dinas=200),
        outside=answers(404),
        inside_kwargs=lambda ctx: {"code": "64.01"},
        outside_kwargs=lambda ctx: {"code": "64.02"},
    ),
}


def context(role: str) -> dict:
    from kopdes.regions.models import Kind, Level, Region

    Region.objects.get_or_create(
        code="64.02",
        defaults={
            "name": "Luar",
            "level": Level.KABUPATEN,
            "kind": Kind.KABUPATEN,
            "parent": Region.objects.get(code="64"),
        },
    )
    return {}
