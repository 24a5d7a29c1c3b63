"""The one membership test on region codes, and its twin as an index range (`subtree_q`) agree."""

from __future__ import annotations

import pytest

from kopdes.regions.models import Region, is_within, subtree_q

CODES = ["64", "64.01", "64.01.04", "64.01.04.2002", "64.01.041", "64.01.05", "64.010", "64.02"]


@pytest.mark.parametrize(
    ("code", "root", "include_self", "expected"),
    [
        ("64.01.04.2002", "64.01.04", True, True),
        ("64.01.04", "64.01.04", True, True),
        ("64.01.04", "64.01.04", False, False),
        ("64.01.041", "64.01.04", True, False),  # a sibling whose code starts with the same characters
        ("64.01", "64.01.04", True, False),  # an ancestor is not inside
        ("64.02.01", None, True, True),  # None: the nation holds every code
    ],
)
def test_is_within(code, root, include_self, expected):
    assert is_within(code, root, include_self=include_self) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("root", ["64", "64.01", "64.01.04"])
@pytest.mark.parametrize("include_self", [True, False])
def test_is_within_matches_the_index_range_of_subtree_q(root, include_self):
    for code in CODES:
        Region.objects.get_or_create(code=code, defaults={"name": code, "level": min(code.count(".") + 1, 4)})

    in_range = Region.objects.filter(subtree_q(root, include_self=include_self), code__in=CODES)
    by_range = set(in_range.values_list("code", flat=True))

    assert by_range == {code for code in CODES if is_within(code, root, include_self=include_self)}
