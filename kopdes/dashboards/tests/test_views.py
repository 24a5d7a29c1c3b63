"""Dashboards over HTTP: the dashboard's new parts, CSV downloads, the national dashboard, scope, query counts."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.dashboards.tests.helpers import age_everything, form
from kopdes.dashboards.tests.test_selectors import wita
from kopdes.formation import services
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.usefixtures("programme")


def test_the_paser_dashboard_shows_trend_projection_stalled_and_filters(client, admin_dinas):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))
    age_everything(30)
    client.force_login(admin_dinas)

    response = client.get(reverse("dashboards:region", args=[PASER]))

    html = response.content.decode()
    for testid in ("trend", "trend-table", "projection", "stalled", "filters"):
        assert f'data-testid="{testid}"' in html
    assert 'id="kd-chart-data"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert reverse("dashboards:csv", args=[PASER, "tren"]) in html
    assert reverse("dashboards:map", args=[PASER]) in html
    assert response.context["o"].stalled_count == 143


def test_filters_narrow_the_dashboard_and_keep_the_csv_links_filtered(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.get(reverse("dashboards:region", args=[PASER]), {"jenis": "kelurahan"})

    assert response.context["d"].villages == 5
    assert "tren.csv?jenis=kelurahan" in response.content.decode()


@pytest.mark.parametrize(
    "table, header", [("tren", "Week"), ("tahap", "Stage"), ("wilayah", "Code"), ("macet", "Code")]
)
def test_every_table_downloads_as_csv(client, admin_dinas, table, header, settings):
    settings.LANGUAGE_CODE = "en"
    age_everything(30)
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))  # its whole history (created too) dated then
    client.force_login(admin_dinas)

    response = client.get(reverse("dashboards:csv", args=[PASER, table]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) > 1
    if table == "tren":
        assert rows[-1][2] == "1"
    if table == "wilayah":
        assert len(rows) == 11


def test_out_of_scope_answers_404_everywhere(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)
    for url in (
        reverse("dashboards:region", args=[TANAH_GROGOT]),
        reverse("dashboards:csv", args=[TANAH_GROGOT, "tren"]),
        reverse("dashboards:map", args=[TANAH_GROGOT]),
        reverse("dashboards:map_data", args=[TANAH_GROGOT]),
        reverse("dashboards:national"),
        reverse("dashboards:national_csv", args=["tren"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("dashboards:csv", args=[BATU_SOPANG, "nope"])).status_code == 404
    assert client.get(reverse("dashboards:region", args=[BATU_SOPANG])).status_code == 200


def test_the_national_dashboard_is_for_national_users(client, admin_dinas):
    national = make_user("nasional", Role.PIMPINAN, None)
    client.force_login(national)

    response = client.get(reverse("dashboards:national"))

    assert response.status_code == 200
    assert [c.region.code for c in response.context["d"].children] == ["64"]
    assert client.get(reverse("dashboards:national_csv", args=["wilayah"])).status_code == 200
    # a national user's province dashboard links back to the nation
    assert reverse("dashboards:national") in client.get(reverse("dashboards:region", args=[PASER])).content.decode()


def queries_of(client, url: str) -> int:
    client.get(url)  # warm process-wide caches
    cache.clear()  # measure the uncached path: the cached one is a handful of queries anyway
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def add_villages_with_history(admin, count: int) -> None:
    kecamatan = Region.objects.get(code=BATU_SOPANG)
    for n in range(count):
        Region.objects.create(
            code=f"{BATU_SOPANG}.29{n:02d}", name=f"Uji {n}", level=Level.DESA, kind=Kind.DESA, parent=kecamatan
        )
    from kopdes.formation.models import Programme

    services.start_programme(actor=admin, programme=Programme.objects.get())
    for n in range(0, count, 3):
        form(f"{BATU_SOPANG}.29{n:02d}", admin, wita(date(2025, 5, 20 + n % 7)))


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboards:region", args=[PASER]),
        reverse("dashboards:region", args=[BATU_SOPANG]),
        reverse("dashboards:csv", args=[PASER, "tren"]),
        reverse("dashboards:map_data", args=[PASER]),
    ],
)
def test_query_count_does_not_grow_with_villages(client, admin_dinas, url):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))
    form(SUNGAI_TERIK, admin_dinas, stage=3)
    client.force_login(admin_dinas)
    before = queries_of(client, url)

    add_villages_with_history(admin_dinas, 12)
    age_everything(30)

    assert queries_of(client, url) == before


def test_the_dashboard_is_cached_until_the_next_stage_transition(client, admin_dinas, django_assert_max_num_queries):
    url = reverse("dashboards:region", args=[PASER])
    client.force_login(admin_dinas)
    assert client.get(url).context["d"].formed == 0

    form(JANJU, admin_dinas)

    assert client.get(url).context["d"].formed == 1
