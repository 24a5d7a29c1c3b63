"""load_boundaries: GeoJSON of Paser (carried in data/wilayah/paser, MIT notice beside it) into RegionBoundary."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU, PASER, WILAYAH_PASER
from kopdes.dashboards.tests.helpers import form
from kopdes.regions.models import RegionBoundary

pytestmark = pytest.mark.usefixtures("programme")


def test_loads_kecamatan_and_village_boundaries_from_a_directory(client, admin_dinas, capsys):
    call_command("load_boundaries", str(WILAYAH_PASER))

    assert RegionBoundary.objects.count() == 154
    assert "154 boundaries loaded" in capsys.readouterr().out
    janju = RegionBoundary.objects.get(region__code=JANJU)
    assert json.loads(janju.simplified)["type"] in ("Polygon", "MultiPolygon")
    assert len(janju.simplified) < len(janju.geojson)
    assert AuditEntry.objects.filter(action="boundaries.load").count() == 1
    # rerunnable: the same files update in place
    call_command("load_boundaries", str(WILAYAH_PASER / "desa.geojson"))
    assert RegionBoundary.objects.count() == 154


def test_the_map_colours_villages_by_stage_and_kecamatan_by_percent(client, admin_dinas):
    call_command("load_boundaries", str(WILAYAH_PASER))
    form(JANJU, admin_dinas)
    client.force_login(admin_dinas)

    data = client.get(reverse("dashboards:map_data", args=[PASER])).json()

    assert len(data["areas"]["features"]) == 10 and len(data["villages"]["features"]) == 144
    janju = next(f for f in data["villages"]["features"] if f["properties"]["code"] == JANJU)
    assert janju["properties"]["stage"] == 8 and janju["properties"]["url"].startswith("/koperasi/")
    grogot = next(f for f in data["areas"]["features"] if f["properties"]["code"] == "64.01.04")
    assert grogot["properties"]["formed"] == 1 and grogot["properties"]["villages"] == 16
    assert len(data["legend"]["stages"]) == 12
    page = client.get(reverse("dashboards:map", args=[PASER])).content.decode()
    assert 'id="kd-map"' in page and "vendor/leaflet/leaflet.js" in page


def test_without_boundaries_the_pages_work_and_say_how_to_load_them(client, admin_dinas):
    client.force_login(admin_dinas)

    page = client.get(reverse("dashboards:map", args=[PASER])).content.decode()
    public = client.get(reverse("dashboards:public", args=[PASER])).content.decode()

    assert 'data-testid="no-boundaries"' in page and "load_boundaries" in page
    assert "leaflet.js" not in page
    assert 'data-testid="no-boundaries"' in public and "load_boundaries" not in public
    assert client.get(reverse("dashboards:map_data", args=[PASER])).json()["villages"]["features"] == []


@pytest.mark.parametrize(
    "content, message",
    [
        # the messages are Indonesian (LANGUAGE_CODE "id")
        ("{not json", "bukan GeoJSON yang valid"),
        ('{"type": "Feature"}', "bukan FeatureCollection GeoJSON"),
        ('{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": {}}]}', "fitur 1"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"kode": "64.01"}, '
            '"geometry": {"type": "Point", "coordinates": [1, 2]}}]}',
            "Jenis geometri Point tidak didukung",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_error_and_changes_nothing(tmp_path, content, message):
    bad = tmp_path / "bad.geojson"
    bad.write_text(content)

    with pytest.raises(CommandError, match=message):
        call_command("load_boundaries", str(WILAYAH_PASER / "kecamatan.geojson"), str(bad))

    assert RegionBoundary.objects.count() == 0


def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        call_command("load_boundaries", str(tmp_path / "nothing.geojson"))
    with pytest.raises(CommandError, match="No \\*.geojson file"):
        call_command("load_boundaries", str(tmp_path))
