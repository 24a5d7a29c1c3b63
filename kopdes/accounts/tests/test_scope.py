"""Region scope: what each account may see, through the queryset and through the region pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.accounts.scope import visible_regions
from kopdes.accounts.services import assign_role, end_assignment
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, TANAH_GROGOT
from kopdes.regions.models import Level, Region
from kopdes.tests.factories import UserFactory, make_user


def visible_villages(user) -> set[str]:
    # a fresh object: scope is cached on the instance for the length of a request
    fresh = User.objects.get(pk=user.pk)
    return set(visible_regions(fresh).villages().values_list("code", flat=True))


def villages_under(code: str) -> set[str]:
    return set(Region.objects.subtree(code).villages().values_list("code", flat=True))


# --- the queryset ------------------------------------------------------------------------------------------------


def test_camat_sees_exactly_the_9_villages_of_its_kecamatan(camat_batu_sopang):
    villages = visible_villages(camat_batu_sopang)

    assert len(villages) == 9
    assert all(code.startswith(BATU_SOPANG + ".") for code in villages)


def test_camat_cannot_see_other_kecamatan(camat_batu_sopang):
    visible = set(visible_regions(camat_batu_sopang).values_list("code", flat=True))

    assert TANAH_GROGOT not in visible
    assert JANJU not in visible
    assert PASER not in visible  # not even its own kabupaten
    assert visible == {BATU_SOPANG} | villages_under(BATU_SOPANG)


def test_operator_desa_sees_only_its_village(operator_janju):
    assert list(visible_regions(operator_janju).values_list("code", flat=True)) == [JANJU]


def test_admin_dinas_of_paser_sees_the_144_villages_of_paser(admin_dinas):
    assert len(visible_villages(admin_dinas)) == 144
    assert not visible_regions(admin_dinas).filter(code="64").exists()


def test_user_with_two_assignments_sees_the_union(pendamping):
    assign_role(actor=None, user=pendamping, role=Role.PENDAMPING, region=Region.objects.get(code=BATU_SOPANG))

    villages = visible_villages(pendamping)

    assert villages == villages_under(TANAH_GROGOT) | villages_under(BATU_SOPANG)
    assert len(villages) == 16 + 9


def test_overlapping_assignments_are_counted_once(camat_batu_sopang):
    sungai_terik = Region.objects.get(code="64.01.01.2013")
    assign_role(actor=None, user=camat_batu_sopang, role=Role.PENDAMPING, region=sungai_terik)

    assert len(visible_villages(camat_batu_sopang)) == 9


def test_ended_assignment_grants_nothing(admin_dinas, camat_batu_sopang):
    assignment = camat_batu_sopang.assignments.get()

    end_assignment(actor=admin_dinas, assignment=assignment)

    assert visible_villages(camat_batu_sopang) == set()
    assert camat_batu_sopang.assignments.count() == 1  # kept as history


def test_ended_assignment_keeps_the_others(pendamping, admin_dinas):
    second = assign_role(actor=None, user=pendamping, role=Role.PENDAMPING, region=Region.objects.get(code=BATU_SOPANG))

    end_assignment(actor=admin_dinas, assignment=second)

    assert visible_villages(pendamping) == villages_under(TANAH_GROGOT)


def test_inactive_user_sees_nothing(camat_batu_sopang):
    User.objects.filter(pk=camat_batu_sopang.pk).update(is_active=False)

    assert visible_villages(camat_batu_sopang) == set()


def test_user_without_a_role_sees_nothing(paser):
    assert visible_villages(UserFactory(username="tanpa.peran")) == set()


def test_superuser_sees_every_region(paser):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    assert visible_regions(root).count() == Region.objects.count()
    assert len(visible_villages(root)) == 144


def test_national_role_sees_every_region(paser):
    national = make_user("admin.nasional", Role.ADMIN_DINAS, None)

    assert visible_regions(national).count() == Region.objects.count()


def test_anonymous_sees_nothing(paser):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_regions(AnonymousUser()).exists()


# --- the region pages --------------------------------------------------------------------------------------------


def test_camat_opens_its_kecamatan_listing_its_9_villages(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("web:region", args=[BATU_SOPANG]))

    assert response.status_code == 200
    children = response.context["children"]
    assert [row["region"].code for row in children] == sorted(villages_under(BATU_SOPANG))
    for row in children:
        assert row["region"].name in response.content.decode()


def test_camat_gets_404_for_another_kecamatan(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    assert client.get(reverse("web:region", args=[TANAH_GROGOT])).status_code == 404
    assert client.get(reverse("web:region", args=[JANJU])).status_code == 404


def test_camat_gets_404_for_its_own_kabupaten(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    assert client.get(reverse("web:region", args=[PASER])).status_code == 404


@pytest.mark.parametrize("code", ["99.99", "64.01.01.9999", "not-a-code"])
def test_missing_region_answers_404_like_one_out_of_scope(client, camat_batu_sopang, code):
    client.force_login(camat_batu_sopang)

    missing = client.get(reverse("web:region", args=[code]))
    out_of_scope = client.get(reverse("web:region", args=[TANAH_GROGOT]))

    assert missing.status_code == out_of_scope.status_code == 404
    assert without_request_echo(missing) == without_request_echo(out_of_scope)


def without_request_echo(response) -> str:
    """The page without what merely echoes the request (the CSRF token, the language form's way back)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="next" value="[^"]*"', "", html)


def test_admin_dinas_sees_the_10_kecamatan_with_their_village_counts(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.get(reverse("web:region", args=[PASER]))

    assert response.status_code == 200
    counts = {row["region"].code: row["villages"] for row in response.context["children"]}
    assert len(counts) == 10
    assert counts[BATU_SOPANG] == 9
    assert counts[TANAH_GROGOT] == 16
    assert sum(counts.values()) == 144


def test_breadcrumb_above_the_scope_is_plain_text(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("web:region", args=["64.01.01.2013"]))

    assert [(ancestor.code, link) for ancestor, link in response.context["breadcrumb"]] == [
        ("64", False),
        (PASER, False),
        (BATU_SOPANG, True),
    ]
    assert reverse("web:region", args=[PASER]) not in response.content.decode()


def test_operator_desa_region_index_redirects_to_its_village(client, operator_janju):
    client.force_login(operator_janju)

    response = client.get(reverse("web:regions"))

    assert response.status_code == 302
    assert response.url == reverse("web:region", args=[JANJU])


def test_operator_desa_never_sees_other_village_names(client, operator_janju):
    # the page shows the user's name; a made-up one could contain a village name by chance
    User.objects.filter(pk=operator_janju.pk).update(full_name="Operator")
    client.force_login(operator_janju)

    response = client.get(reverse("web:regions"), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Janju" in html
    ancestors = set(Region.objects.filter(level__lt=Level.DESA).values_list("name", flat=True))
    others = Region.objects.subtree(PASER).villages().exclude(code=JANJU)
    for village in others:
        assert village.code not in html
        if village.name not in ancestors:  # Kelurahan Tanah Grogot shares its kecamatan's name
            assert village.name not in html, village.name


def test_region_index_lists_the_roots_of_a_user_with_two_assignments(client, pendamping):
    assign_role(actor=None, user=pendamping, role=Role.PENDAMPING, region=Region.objects.get(code=BATU_SOPANG))
    client.force_login(pendamping)

    response = client.get(reverse("web:regions"))

    assert response.status_code == 200
    assert [region.code for region in response.context["roots"]] == [BATU_SOPANG, TANAH_GROGOT]


def test_region_index_of_a_user_without_role_is_empty(client, paser):
    client.force_login(UserFactory(username="tanpa.peran"))

    response = client.get(reverse("web:regions"))

    assert response.status_code == 200
    assert response.context["roots"] == []
