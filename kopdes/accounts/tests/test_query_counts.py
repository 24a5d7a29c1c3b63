"""List pages run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.audit.services import record_audit
from kopdes.conftest import BATU_SOPANG, PASER, TANAH_GROGOT
from kopdes.regions import village_counts
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user

# Generous ceilings: the point is that the count does not grow; these only catch a page gone badly wrong.
MAX_QUERIES = 22  # a bound, not the point: the tests below check the count does not grow (the printed letterhead and
# the kept village counts added one query each)


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up per-process caches (time zones, content types) so both measures compare alike
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_operators(count: int, start: int = 0, under: str = PASER) -> None:
    villages = Region.objects.subtree(under).villages().order_by("code")[start : start + count]
    for number, village in enumerate(villages, start=start):
        make_user(f"operator.{number:03d}", Role.OPERATOR_DESA, village.code)


def add_villages(kecamatan: str, count: int) -> None:
    parent = Region.objects.get(code=kecamatan)
    Region.objects.bulk_create(
        Region(code=f"{kecamatan}.{2100 + n}", name=f"Desa Baru {n}", level=Level.DESA, kind=Kind.DESA, parent=parent)
        for n in range(count)
    )
    village_counts.recount()  # a bulk write outside the importer keeps the per-region village counts itself


@pytest.mark.parametrize("fixture, under", [("admin_dinas", PASER), ("camat_batu_sopang", BATU_SOPANG)])
def test_user_list_queries_do_not_grow_with_the_accounts(
    client, request, django_assert_num_queries, django_assert_max_num_queries, fixture, under
):
    client.force_login(request.getfixturevalue(fixture))
    add_operators(3, under=under)
    with django_assert_max_num_queries(MAX_QUERIES):
        few = queries_for(client, reverse("accounts:user_list"))

    add_operators(6, start=3, under=under)

    with django_assert_num_queries(few):
        response = client.get(reverse("accounts:user_list"))
    assert len(response.context["users"]) == 9


def test_user_list_with_roles_on_several_regions_stays_flat(client, admin_dinas, django_assert_num_queries):
    client.force_login(admin_dinas)
    add_operators(4)
    few = queries_for(client, reverse("accounts:user_list"))

    for number, code in enumerate([BATU_SOPANG, TANAH_GROGOT, "64.01.05", "64.01.06"]):
        make_user(f"pendamping.{number}", Role.PENDAMPING, code)

    with django_assert_num_queries(few):
        client.get(reverse("accounts:user_list"))


def test_region_page_queries_do_not_grow_with_the_villages(
    client, admin_dinas, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(admin_dinas)
    url = reverse("web:region", args=[PASER])
    with django_assert_max_num_queries(MAX_QUERIES):
        few = queries_for(client, url)

    add_villages(BATU_SOPANG, 40)

    with django_assert_num_queries(few):
        response = client.get(url)
    assert {row["region"].code: row["villages"] for row in response.context["children"]}[BATU_SOPANG] == 49


def test_kecamatan_pages_of_different_sizes_run_the_same_queries(client, admin_dinas, django_assert_num_queries):
    client.force_login(admin_dinas)
    nine = queries_for(client, reverse("web:region", args=[BATU_SOPANG]))

    with django_assert_num_queries(nine):
        response = client.get(reverse("web:region", args=[TANAH_GROGOT]))
    assert len(response.context["children"]) == 16


def test_audit_log_queries_do_not_grow_with_the_entries(client, admin_dinas, django_assert_num_queries):
    def add_entries(count: int, start: int) -> None:
        villages = list(Region.objects.subtree(PASER).villages().order_by("code")[start : start + count])
        for number, village in enumerate(villages, start=start):
            actor = make_user(f"pelaku.{number:03d}", Role.OPERATOR_DESA, village.code)
            record_audit(actor=actor, action="test.entry", obj=actor, region_code=village.code)

    client.force_login(admin_dinas)
    add_entries(4, 0)
    few = queries_for(client, reverse("web:audit_log"))
    assert few <= MAX_QUERIES

    add_entries(12, 4)

    with django_assert_num_queries(few):
        response = client.get(reverse("web:audit_log"))
    assert len([e for e in response.context["page"].object_list if e.action == "test.entry"]) == 16


def test_landing_page_queries_do_not_grow_with_the_villages(client, admin_dinas, django_assert_num_queries):
    client.force_login(admin_dinas)
    few = queries_for(client, reverse("web:home"))

    add_villages(TANAH_GROGOT, 30)

    with django_assert_num_queries(few):
        response = client.get(reverse("web:home"))
    assert response.context["counts"]["villages"] == 174
