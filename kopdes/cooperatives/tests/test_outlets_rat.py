"""Outlets (gerai) with their land plot on the map, and the RAT per book year with its access-checked minutes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.cooperatives import services
from kopdes.cooperatives.models import AnnualMeeting, Outlet, OutletStatus
from kopdes.formation.models import BusinessUnit
from kopdes.formation.tests.helpers import EXE_BYTES, pdf, upload
from kopdes.regions.models import Region, RegionBoundary

pytestmark = pytest.mark.django_db


def outlet_form(**changes):
    kiosk = BusinessUnit.objects.get(name="Kios sembako")
    return {
        "unit": kiosk.pk,
        "other_type": "",
        "status": "open",
        "opened_on": "2025-10-01",
        "latitude": "-1.905100",
        "longitude": "116.188200",
        "land_status": "village",
        **changes,
    }


def test_an_open_outlet_with_coordinates_is_on_the_map(client, operator_janju, janju):
    client.force_login(operator_janju)

    response = client.post(reverse("cooperatives:add_outlet", args=[janju.pk]), outlet_form())

    assert response.status_code == 302
    outlet = Outlet.objects.get()
    assert (outlet.type_label, outlet.latitude) == ("Kios sembako", Decimal("-1.905100"))
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert 'id="kd-outlet-map"' in page and "vendor/leaflet/leaflet.js" in page and "-1.9051" in page
    assert "tile.openstreetmap" not in page  # no external tiles unless configured


def test_a_page_without_coordinates_loads_no_map(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "leaflet.js" not in page and "Belum ada gerai yang dicatat" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"latitude": "1.9", "longitude": "16.19"}, "di luar Indonesia"),
        ({"latitude": "116.19", "longitude": "-1.9"}, "di luar Indonesia"),
        ({"longitude": ""}, "Isi lintang dan bujur sekaligus"),
        ({"status": "construction"}, "Isi progres pembangunan"),
        ({"opened_on": ""}, "Isi tanggal gerai dibuka"),
        ({"unit": "", "other_type": ""}, "Pilih unit usaha standar atau jelaskan jenis lainnya"),
    ],
)
def test_a_rejected_outlet_keeps_the_input_and_says_why(client, admin_dinas, janju, changes, message):
    client.force_login(admin_dinas)
    response = client.post(
        reverse("cooperatives:add_outlet", args=[janju.pk]), outlet_form(land_note="Hibah desa", **changes)
    )
    page = response.content.decode()
    assert response.status_code == 400 and message in page and "Hibah desa" in page
    assert not Outlet.objects.exists()


def test_an_outlet_under_construction_keeps_its_progress_and_another_type_its_label(admin_dinas, janju):
    outlet = services.save_outlet(
        actor=admin_dinas,
        cooperative=janju,
        unit=None,
        other_type="Penggilingan padi",
        status=OutletStatus.CONSTRUCTION,
        progress_percent=40,
    )
    assert (outlet.type_label, outlet.progress_percent) == ("Penggilingan padi", 40)

    outlet = services.save_outlet(
        actor=admin_dinas,
        cooperative=janju,
        outlet=outlet,
        unit=None,
        other_type="Penggilingan padi",
        status=OutletStatus.OPEN,
        progress_percent=40,
        opened_on=date(2026, 2, 1),
    )
    assert outlet.progress_percent is None and Outlet.objects.count() == 1


def test_recording_a_rat_with_minutes_and_downloading_them(client, operator_janju, pimpinan, mitra, janju):
    client.force_login(operator_janju)

    response = client.post(
        reverse("cooperatives:record_rat", args=[janju.pk]),
        {
            "book_year": "2025",
            "held": "1",
            "held_on": "2026-03-14",
            "minutes": pdf("notulen rat.pdf"),
            "dibaca": services.rat_token(janju),
        },
    )

    assert response.status_code == 302
    rat = AnnualMeeting.objects.get()
    assert (rat.book_year, rat.held, rat.minutes_name) == (2025, True, "notulen_rat.pdf")
    url = reverse("cooperatives:rat_minutes", args=[rat.pk])
    download = client.get(url)
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    client.force_login(pimpinan)
    assert client.get(url).status_code == 200
    client.force_login(mitra)
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()


def test_recording_the_same_year_again_changes_the_one_record(admin_dinas, janju):
    services.record_rat(actor=admin_dinas, cooperative=janju, book_year=2025, held=False)
    services.record_rat(actor=admin_dinas, cooperative=janju, book_year=2025, held=True, held_on=date(2026, 3, 1))
    assert AnnualMeeting.objects.get().held is True


@pytest.mark.parametrize(
    "data, message",
    [
        ({"held": "1", "minutes": upload("notulen.pdf", EXE_BYTES)}, "bukan PDF, JPEG, atau PNG"),
        ({"held": "1", "held_on": ""}, "Isi tanggal pelaksanaan RAT"),
        ({"held": "0", "held_on": "", "minutes": pdf()}, "Notulen hanya untuk RAT yang terlaksana"),
        ({"book_year": "1999"}, "2000"),
    ],
)
def test_a_rejected_rat_says_why(client, admin_dinas, janju, data, message):
    client.force_login(admin_dinas)
    payload = {"book_year": "2025", "held": "1", "held_on": "2026-03-14", "note": "Di balai desa", **data}
    payload["dibaca"] = services.rat_token(janju)
    response = client.post(reverse("cooperatives:record_rat", args=[janju.pk]), payload)
    page = response.content.decode()
    assert response.status_code == 400 and message in page and "Di balai desa" in page
    assert not AnnualMeeting.objects.exists()


def test_the_map_draws_the_village_outline_when_boundaries_are_loaded(client, operator_janju, janju):
    square = {
        "type": "Polygon",
        "coordinates": [[[116.1, -1.9], [116.2, -1.9], [116.2, -1.8], [116.1, -1.8], [116.1, -1.9]]],
    }
    RegionBoundary.objects.create(
        region=Region.objects.get(code=JANJU), geojson=json.dumps(square), simplified=json.dumps(square)
    )
    client.force_login(operator_janju)
    client.post(reverse("cooperatives:add_outlet", args=[janju.pk]), outlet_form())

    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()

    outlines = page[page.index('id="kd-village-outlines"') :]
    assert json.loads(outlines[outlines.index(">") + 1 : outlines.index("</script>")]) == [square]
