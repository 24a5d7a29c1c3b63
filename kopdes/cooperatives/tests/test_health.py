"""The health score: each component passes and fails on its own facts; snapshots make the trend; the regency list
sorts by score with a number of queries that does not grow with the cooperatives."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.cooperatives import services
from kopdes.cooperatives.health import evaluate
from kopdes.cooperatives.models import HealthSnapshot, OutletStatus
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik
from kopdes.formation.models import Cooperative
from kopdes.formation.tests.helpers import case_for

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)
NOW = timezone.make_aware(timezone.datetime(2026, 6, 1, 9))


def seat(organ, position, start=date(2025, 1, 1), end=date(2030, 1, 1), nik=""):
    return SimpleNamespace(organ=organ, position=position, term_start=start, term_end=end, nik=nik)


FULL_BOARD = [
    seat("pengurus", "ketua"),
    seat("pengurus", "sekretaris"),
    seat("pengurus", "bendahara"),
    seat("pengawas", "ketua"),
]


def record(**changes):
    fields = {
        "deed_number": "12",
        "sk_ahu_number": "AHU-1",
        "nib": "912",
        "npwp": "012345678912000",
        "updated_at": NOW - timedelta(days=200),
        "registry_updated_at": NOW - timedelta(days=10),
    }
    return SimpleNamespace(**{**fields, **changes})


def components(cooperative=None, **facts):
    facts = {"seats": FULL_BOARD, "members": 9, "open_outlets": 1, "rat_held": True, "today": TODAY, **facts}
    health = evaluate(cooperative or record(), **facts)
    return {c.key: c for c in health.components}, health


def test_a_healthy_cooperative_passes_every_component():
    found, health = components()
    assert all(c.passed for c in found.values())
    assert (health.score, health.out_of, health.percent) == (6, 6, 100)


@pytest.mark.parametrize("missing", ["deed_number", "sk_ahu_number", "nib", "npwp"])
def test_legal_papers_fail_when_one_is_missing_and_name_it(missing):
    found, _ = components(record(**{missing: ""}))
    assert not found["legal"].passed
    assert found["legal"].why.startswith("Belum ada:")


@pytest.mark.parametrize(
    "seats",
    [
        FULL_BOARD[1:],  # no ketua
        FULL_BOARD[:3],  # no pengawas
        [*FULL_BOARD[:3], seat("pengawas", "ketua", end=date(2026, 1, 1))],  # the pengawas' term expired
        [seat("pengurus", "ketua", start=date(2026, 7, 1)), *FULL_BOARD[1:]],  # the ketua's term has not started
        [
            seat("pengurus", "ketua", nik="6401041203800007"),
            *FULL_BOARD[1:],
            seat("pengawas", "anggota", nik="6401041203800007"),
        ],
    ],
)
def test_board_fails_when_incomplete_or_a_term_is_not_valid(seats):
    found, _ = components(seats=seats)
    assert not found["board"].passed


def test_members_pass_from_nine():
    assert components(members=9)[0]["members"].passed
    assert not components(members=8)[0]["members"].passed


def test_outlet_passes_only_with_one_open():
    assert components(open_outlets=1)[0]["outlet"].passed
    assert not components(open_outlets=0)[0]["outlet"].passed


def test_rat_passes_only_when_held_for_last_year():
    assert components(rat_held=True)[0]["rat"].passed
    found = components(rat_held=False)[0]["rat"]
    assert not found.passed and "2025" in found.why


def test_data_is_fresh_for_90_days():
    assert components(record(registry_updated_at=NOW - timedelta(days=89)))[0]["fresh"].passed
    stale = record(registry_updated_at=NOW - timedelta(days=91), updated_at=NOW - timedelta(days=120))
    assert not components(stale)[0]["fresh"].passed
    assert not components(record(registry_updated_at=None, updated_at=None))[0]["fresh"].passed


def build_healthy(actor, cooperative):
    cooperative.refresh_from_db()
    Cooperative.objects.filter(pk=cooperative.pk).update(deed_number="1", sk_ahu_number="AHU", nib="9")
    services.update_profile(actor=actor, cooperative=cooperative, version=cooperative.version, npwp="012345678912000")
    term = {"term_start": date(2025, 1, 1), "term_end": date(2099, 1, 1)}
    for position in ("ketua", "sekretaris", "bendahara"):
        services.add_seat(
            actor=actor, cooperative=cooperative, organ="pengurus", position=position, name=position, **term
        )
    services.add_seat(actor=actor, cooperative=cooperative, organ="pengawas", position="ketua", name="P", **term)
    for serial in range(1, 10):
        services.add_member(
            actor=actor,
            cooperative=cooperative,
            nik=nik(TANAH_GROGOT_NIK, date(1980, 1, 1), serial=serial),
            name=f"A{serial}",
        )
    services.save_outlet(
        actor=actor,
        cooperative=cooperative,
        unit=None,
        other_type="Kios",
        status=OutletStatus.OPEN,
        opened_on=date(2025, 9, 1),
    )
    last_year = timezone.localdate().year - 1
    services.record_rat(
        actor=actor, cooperative=cooperative, book_year=last_year, held=True, held_on=date(last_year, 12, 1)
    )


def test_registry_writes_store_todays_snapshot_and_the_page_shows_every_component(client, admin_dinas, janju):
    build_healthy(admin_dinas, janju)

    snapshot = HealthSnapshot.objects.get(cooperative=janju)
    assert (snapshot.score, snapshot.out_of) == (6, 6)
    client.force_login(admin_dinas)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert 'data-testid="health-score">6/6<' in page
    assert page.count('data-testid="component-') == 6
    assert "Cara menghitung skor" in page and 'data-testid="trend"' in page


def test_the_command_records_every_active_cooperative_once_per_day(programme):
    call_command("record_health_scores")
    call_command("record_health_scores")
    assert HealthSnapshot.objects.count() == Cooperative.objects.filter(is_active=True).count()
    assert HealthSnapshot.objects.filter(score=0).count() == 0  # data of every new record is fresh


def test_registry_list_sorts_by_score_name_and_kecamatan(client, admin_dinas, programme):
    build_healthy(admin_dinas, case_for(SUNGAI_TERIK))
    client.force_login(admin_dinas)

    def first_row(sort):
        page = client.get(reverse("cooperatives:list"), {"urut": sort}).content.decode()
        body = page[page.index("<tbody>") :]
        return body[: body.index("</tr>")]

    assert "Sungai Terik" in first_row("-score")
    assert "Sungai Terik" not in first_row("score")
    assert "Batu Engau" in first_row("kecamatan") and "Tanjung Harapan" in first_row("-kecamatan")


def test_registry_pages_keep_the_sort_and_the_filter(client, admin_dinas, programme, monkeypatch):
    monkeypatch.setattr("kopdes.cooperatives.views.REGISTRY_PAGE_SIZE", 20)
    client.force_login(admin_dinas)
    url = reverse("cooperatives:list")

    first = client.get(url, {"urut": "name"}).content.decode()
    second = client.get(url, {"urut": "name", "halaman": 2}).content.decode()

    assert 'data-testid="pager"' in first and "Halaman 1 dari" in first
    assert "?urut=name&amp;halaman=2" in first and "halaman=0" not in first
    assert "?urut=name&amp;halaman=1" in second and "?urut=name&amp;halaman=3" in second
    assert first.count('data-testid="score"') == 20
    links = re.compile(r'href="/koperasi/(\d+)/profil/"')
    assert not set(links.findall(first)) & set(links.findall(second))  # the next page, not the same rows again


def test_operator_lists_only_its_own_cooperative(client, operator_janju, programme):
    client.force_login(operator_janju)
    page = client.get(reverse("cooperatives:list")).content.decode()
    assert "Janju" in page and page.count('data-testid="score"') == 1


def test_registry_list_queries_do_not_grow_with_cooperatives(
    client, admin_dinas, programme, django_assert_max_num_queries
):
    client.force_login(admin_dinas)
    url = reverse("cooperatives:list")
    with django_assert_max_num_queries(20) as before:
        client.get(url)
    build_healthy(admin_dinas, case_for(JANJU))
    build_healthy(admin_dinas, case_for(SUNGAI_TERIK))
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('data-testid="score"') == 144


def test_cooperative_page_queries_do_not_grow_with_its_data(client, admin_dinas, janju, django_assert_max_num_queries):
    client.force_login(admin_dinas)
    url = reverse("cooperatives:detail", args=[janju.pk])
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    build_healthy(admin_dinas, janju)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_registry_list_narrows_to_a_kecamatan_and_marks_each_rule(client, admin_dinas, programme):
    build_healthy(admin_dinas, case_for(SUNGAI_TERIK))
    client.force_login(admin_dinas)

    page = client.get(reverse("cooperatives:list"), {"wilayah": "64.01.01"}).content.decode()

    assert page.count('data-testid="score"') == 9  # the nine villages of Batu Sopang
    assert "Sungai Terik" in page and "Janju" not in page
    body = page[page.index("<tbody>") :]
    first = body[: body.index("</tr>")]  # sorted by score: the healthy one first, every rule met
    assert first.count("✓") == 6 and "✗" not in first


def test_registry_list_filter_outside_the_scope_answers_404(client, camat_batu_sopang, programme):
    client.force_login(camat_batu_sopang)
    assert client.get(reverse("cooperatives:list"), {"wilayah": "64.01.04"}).status_code == 404
    assert client.get(reverse("cooperatives:list"), {"wilayah": "64.01.01"}).status_code == 200
