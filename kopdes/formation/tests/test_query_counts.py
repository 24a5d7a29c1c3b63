"""The dashboard, the verification queue and the case page run the same queries whatever the number of villages,
submissions, files and history rows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, TANAH_GROGOT
from kopdes.formation import services
from kopdes.formation.models import Cooperative
from kopdes.formation.tests.helpers import JPEG_BYTES, advance, case_for, pdf, submit, upload
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user


def queries_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def warm(client, url: str) -> None:
    """A first request fills process-wide caches (the province time-zone table) that later requests skip."""
    assert client.get(url).status_code == 200


def add_villages(kecamatan: Region, count: int) -> None:
    for n in range(count):
        Region.objects.create(
            code=f"{kecamatan.code}.29{n:02d}",
            name=f"Desa Uji {kecamatan.code} {n}",
            level=Level.DESA,
            kind=Kind.DESA,
            parent=kecamatan,
        )


def add_kecamatan(code: str, name: str) -> Region:
    parent = Region.objects.get(code=code.rsplit(".", 1)[0])
    return Region.objects.create(code=code, name=name, level=Level.KECAMATAN, kind=Kind.KECAMATAN, parent=parent)


def busy_villages(codes: list[str], *, admin) -> None:
    """Activity from many people: each village's own operator submits, some are verified to different stages."""
    for index, code in enumerate(codes):
        operator = make_user(f"operator.{code}", Role.OPERATOR_DESA, code)
        cooperative = case_for(code)
        if index % 2:
            advance(cooperative, 1 + index % 4, submitter=operator, verifier=admin)
        submit(operator, cooperative, cooperative.stage + 1, files=[pdf(), upload("foto.jpg", JPEG_BYTES)])


def test_regency_dashboard_does_not_grow_with_villages_or_activity(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    url = reverse("dashboards:region", args=[PASER])
    warm(client, url)
    small = queries_of(client, url)

    add_villages(Region.objects.get(code="64.01.02"), 20)
    add_villages(add_kecamatan("64.01.11", "Uji"), 20)
    services.start_programme(actor=admin_dinas, programme=programme)
    busy_villages(
        sorted(Region.objects.subtree(PASER).villages().values_list("code", flat=True))[::12], admin=admin_dinas
    )
    services.merge_cooperatives(
        actor=admin_dinas, target=case_for("64.01.02.2900"), others=[case_for("64.01.02.2901")], reason="Gabung"
    )
    response = client.get(url)
    assert len(response.context["d"].village_rows) == 184
    assert len(response.context["d"].children) == 11
    large = queries_of(client, url)

    assert len(large) == len(small), "\n".join(large)


def test_kecamatan_dashboards_of_different_sizes_run_the_same_queries(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batu_sopang = reverse("dashboards:region", args=[BATU_SOPANG])  # 9 villages
    tanah_grogot = reverse("dashboards:region", args=[TANAH_GROGOT])  # 16 villages
    warm(client, batu_sopang)
    busy_villages(
        sorted(Region.objects.subtree(TANAH_GROGOT).villages().values_list("code", flat=True)), admin=admin_dinas
    )

    cache.clear()  # compare the computed pages: a move in Tanah Grogot leaves Batu Sopang's cached (its own version)
    larger = queries_of(client, tanah_grogot)
    cache.clear()
    assert len(larger) == len(queries_of(client, batu_sopang))


def test_verification_queue_does_not_grow_with_the_submissions(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    url = reverse("formation:queue")
    villages = sorted(Region.objects.subtree(PASER).villages().values_list("code", flat=True))
    busy_villages(villages[:1], admin=admin_dinas)
    warm(client, url)
    one = queries_of(client, url)

    busy_villages(villages[1:10], admin=admin_dinas)
    assert len(client.get(url).context["submissions"]) == 10
    ten = queries_of(client, url)

    assert len(ten) == len(one), "\n".join(ten)


def test_case_page_does_not_grow_with_history_submissions_files_or_villages(
    client, programme, admin_dinas, operator_janju
):
    client.force_login(admin_dinas)
    janju = case_for(JANJU)
    url = reverse("formation:case_detail", args=[janju.pk])
    submit(operator_janju, janju, 1, files=[pdf()])
    warm(client, url)
    small = queries_of(client, url)

    services.return_submission(actor=admin_dinas, submission=janju.submissions.get(), reason="Foto kabur")
    advance(janju, 7, submitter=operator_janju, verifier=admin_dinas)
    neighbours = [case_for(code) for code in ("64.01.04.2003", "64.01.04.2004", "64.01.04.2005")]
    services.merge_cooperatives(actor=admin_dinas, target=case_for(JANJU), others=neighbours, reason="Gabung")
    camat = make_user("camat.lain", Role.CAMAT, TANAH_GROGOT)
    submit(camat, janju, 8, files=[pdf("sk.pdf"), pdf("lampiran.pdf"), upload("foto.jpg", JPEG_BYTES)])
    response = client.get(url)
    assert len(response.context["submissions"]) == 9
    assert len(response.context["memberships"]) == 4
    large = queries_of(client, url)

    assert len(large) == len(small), "\n".join(large)


# --- the scope filter on cooperatives is an index range, never LIKE --------------------------------------------------


def test_cooperative_scope_filter_has_no_like(programme, camat_batu_sopang, pendamping):
    for user in (camat_batu_sopang, pendamping):
        sql = str(Cooperative.objects.visible_to(user).query).upper()
        assert " LIKE " not in sql and "GLOB" not in sql, sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
def test_cooperative_scope_filter_searches_the_village_code_index(programme, camat_batu_sopang):
    sql, params = Cooperative.objects.visible_to(camat_batu_sopang).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]

    memberships = [line for line in plan if "formation_cooperativevillage_village_code" in line]
    assert any("village_code>?" in line for line in memberships), plan
    assert not any(line.startswith("SCAN") for line in plan), plan
