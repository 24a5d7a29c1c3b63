"""The assistance dashboard: trainings, attendees, visits and follow-ups per kecamatan of the user's scope, and the
villages with no visit yet; a fixed number of queries whatever the number of villages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kopdes.assistance.tests.activities_helpers import attend, make_training, make_visit
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.regions.models import Kind, Level, Region

pytestmark = pytest.mark.django_db
URL = reverse("assistance:dashboard")


def rows_by_code(response):
    return {row.code: row for row in response.context["rows"]}


@pytest.fixture
def activity(admin_dinas, pendamping):
    training = make_training(admin_dinas, villages=[JANJU, SUNGAI_TERIK])
    attend(admin_dinas, training, ("A", JANJU), ("B", JANJU), ("C", SUNGAI_TERIK))
    make_visit(pendamping, JANJU, due=date(2025, 5, 12), follow_ups=2)
    make_visit(pendamping, JANJU, due=date(2099, 1, 1))
    make_visit(pendamping, "64.01.04.2003", follow_ups=0)


def test_the_office_sees_each_kecamatan_of_its_regency(client, admin_dinas, activity):
    client.force_login(admin_dinas)

    response = client.get(URL)

    rows = rows_by_code(response)
    assert len(rows) == 10
    grogot, sopang = rows[TANAH_GROGOT], rows[BATU_SOPANG]
    assert (grogot.trainings, grogot.attendees, grogot.visits, grogot.villages_visited) == (1, 2, 3, 2)
    assert (grogot.open_follow_ups, grogot.overdue_follow_ups) == (3, 2)
    assert (sopang.trainings, sopang.attendees, sopang.visits) == (1, 1, 0)
    assert "Janju" not in grogot.not_visited and len(grogot.not_visited) == grogot.villages - 2
    assert len(sopang.not_visited) == sopang.villages
    totals = response.context["totals"]
    assert (totals["trainings"], totals["visits"], totals["villages"]) == (1, 3, 144)
    assert totals["not_visited"] == 142
    content = response.content.decode()
    assert "Pelatihan baru" in content and "Desa yang belum pernah dikunjungi" in content


def test_a_camat_sees_only_its_kecamatan(client, camat_batu_sopang, activity):
    client.force_login(camat_batu_sopang)

    response = client.get(URL)

    assert list(rows_by_code(response)) == [BATU_SOPANG]
    assert response.context["totals"]["visits"] == 0
    assert "Pelatihan baru" not in response.content.decode()


def test_the_pendamping_is_offered_to_record_a_visit(client, pendamping, activity):
    client.force_login(pendamping)

    response = client.get(URL)

    assert list(rows_by_code(response)) == [TANAH_GROGOT]
    assert "Catat kunjungan" in response.content.decode()


def test_the_navigation_has_one_assistance_item(client, mitra):
    client.force_login(mitra)

    response = client.get(URL)

    assert [label for label, url, _active in response.context["nav_items"] if url == URL] == ["Pendampingan"]


def add_villages(count: int) -> None:
    kecamatan = Region.objects.create(
        code="64.01.11", name="Uji", level=Level.KECAMATAN, kind=Kind.KECAMATAN, parent=Region.objects.get(code="64.01")
    )
    for n in range(count):
        Region.objects.create(
            code=f"64.01.11.{2001 + n}", name=f"Uji {n}", level=Level.DESA, kind=Kind.DESA, parent=kecamatan
        )


def test_the_dashboard_queries_do_not_grow_with_villages_or_activity(
    client, admin_dinas, pendamping, activity, django_assert_max_num_queries
):
    client.force_login(admin_dinas)
    client.get(URL)
    with django_assert_max_num_queries(20) as small:
        client.get(URL)

    add_villages(30)
    for n in range(3):
        training = make_training(admin_dinas, topic=f"T{n}", villages=["64.01.11.2001", "64.01.11.2002", JANJU])
        attend(admin_dinas, training, ("X", "64.01.11.2001"), ("Y", JANJU))
        make_visit(pendamping, "64.01.04.2004", follow_ups=2)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert response.context["totals"]["villages"] == 174
    assert rows_by_code(response)["64.01.11"].trainings == 3


def test_office_dashboard_includes_the_consultations_summary(client, admin_dinas, pendamping):
    client.force_login(admin_dinas)
    office = client.get(reverse("assistance:dashboard"))
    client.force_login(pendamping)
    facilitator = client.get(reverse("assistance:dashboard"))

    assert 'data-testid="question-summary"' in office.content.decode()
    assert 'data-testid="question-summary"' not in facilitator.content.decode()
