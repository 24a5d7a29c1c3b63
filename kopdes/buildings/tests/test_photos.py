"""Building photos over HTTP and through the services: the EXIF position and time read from a generated JPEG, the
phone's values when the photo carries none, warnings for the verifier (no position, outside the village outline, far
from the land; never a refusal), public marking with its stale token and audit, the public photo re-encoded without
metadata, the public pages without personal data, and the API's scope."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from kopdes.accounts.roles import Role
from kopdes.api.services import create_api_token
from kopdes.audit.models import AuditEntry
from kopdes.buildings import services
from kopdes.buildings.models import Building, EvidenceFile
from kopdes.buildings.selectors import photo_notes, public_photo_token
from kopdes.buildings.tests.test_track import token
from kopdes.buildings.workflow import CONSTRUCTION, LAND_PROPOSED
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme
from kopdes.regions.geometry import contains, distance_m
from kopdes.regions.models import Region, RegionBoundary
from kopdes.tests.factories import make_user
from kopdes.tests.samples import JPEG_BYTES

pytestmark = pytest.mark.django_db

# the land at about 1°54′S 116°12′E; the village outline a square of about 2.2 km around it
LAND = (Decimal("-1.900000"), Decimal("116.200000"))
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116.19, -1.91], [116.21, -1.91], [116.21, -1.89], [116.19, -1.89], [116.19, -1.91]]],
}


def gps_jpeg(lat: tuple, lat_ref: str, lon: tuple, lon_ref: str, taken: str = "2026:01:05 09:30:00") -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {1: lat_ref, 2: lat, 3: lon_ref, 4: lon}
    exif[ExifTags.IFD.Exif] = {0x9003: taken}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


INSIDE_JPEG = gps_jpeg((1.0, 54.0, 0.0), "S", (116.0, 12.0, 0.0), "E")  # -1.9, 116.2: on the land
FAR_JPEG = gps_jpeg((1.0, 57.0, 0.0), "S", (116.0, 12.0, 0.0), "E")  # -1.95, 116.2: 5.6 km south, outside


@pytest.fixture
def janju(paser, admin_dinas):
    programme = Programme.objects.create(region=Region.objects.get(code="64.01"), name="P", start_date=date(2025, 4, 1))
    start_programme(actor=admin_dinas, programme=programme)
    RegionBoundary.objects.create(region=Region.objects.get(code=JANJU), geojson=json.dumps(SQUARE), simplified="{}")
    cooperative = Cooperative.objects.get(region_code=JANJU)
    data = {"land_owner": "village", "land_certificate": "SHM 7/2025", "land_area_m2": Decimal("600")}
    data.update(latitude=LAND[0], longitude=LAND[1])
    land = services.submit_step(
        actor=admin_dinas,
        cooperative=cooperative,
        step=LAND_PROPOSED,
        token=token(cooperative, LAND_PROPOSED),
        evidence_date=date(2026, 1, 5),
        data=data,
    )
    services.verify(actor=admin_dinas, submission=land)
    return cooperative


@pytest.fixture
def pengurus(paser):
    return make_user("pengurus.janju", Role.PENGURUS, JANJU)


def post_photos(client, cooperative, files, **extra):
    url = reverse("buildings:submit_step", args=[cooperative.pk, CONSTRUCTION])
    page = client.get(url)
    data = {
        "band": "20",
        "evidence_date": "2026-01-06",
        "dibaca": page.context["form"].initial["dibaca"],
        "files": files,
        **extra,
    }
    return client.post(url, data)


def jpeg(content: bytes, name="foto.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_point_in_polygon_and_distance():
    assert contains(SQUARE, 116.2, -1.9)
    assert not contains(SQUARE, 116.2, -1.95)
    holed = {
        "type": "Polygon",
        "coordinates": [
            *SQUARE["coordinates"],
            [[116.199, -1.901], [116.201, -1.901], [116.201, -1.899], [116.199, -1.899]],
        ],
    }
    assert not contains(holed, 116.2, -1.9)
    assert contains({"type": "MultiPolygon", "coordinates": [holed["coordinates"], SQUARE["coordinates"]]}, 116.2, -1.9)
    assert 5500 < distance_m(-1.9, 116.2, -1.95, 116.2) < 5600


def test_the_server_reads_the_photos_exif_before_reencoding_and_stores_none_of_it(client, janju, pengurus):
    client.force_login(pengurus)
    response = post_photos(client, janju, [jpeg(INSIDE_JPEG)])
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = EvidenceFile.objects.get(building__cooperative=janju, submission__step=CONSTRUCTION)
    assert (photo.exif_latitude, photo.exif_longitude) == (Decimal("-1.900000"), Decimal("116.200000"))
    assert photo.exif_taken_at == "2026-01-05T09:30:00"
    assert photo.exif_read_by == "server"
    with photo.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_the_phones_exif_and_location_are_kept_when_the_photo_arrives_without(client, janju, pengurus):
    client.force_login(pengurus)
    extra = {
        "exif_lat": ";-1.901000",
        "exif_lon": ";116.201000",
        "exif_time": ";2026-01-05T10:00:00",
        "device_lat": "-1.900500",
        "device_lon": "116.200500",
        "accuracy": "12.4",
    }
    response = post_photos(client, janju, [jpeg(INSIDE_JPEG, "a.jpg"), jpeg(JPEG_BYTES, "b.jpg")], **extra)
    assert response.status_code == 302
    first, second = EvidenceFile.objects.filter(submission__step=CONSTRUCTION).order_by("original_name")
    assert first.exif_read_by == "server" and first.exif_latitude == Decimal("-1.900000")
    assert second.exif_read_by == "phone" and second.exif_latitude == Decimal("-1.901000")
    assert second.exif_taken_at == "2026-01-05T10:00:00"
    assert (second.device_latitude, second.device_accuracy_m) == (Decimal("-1.900500"), 12)


def test_outside_far_and_unpositioned_photos_are_warnings_for_the_verifier_never_refusals(
    client, janju, pengurus, admin_dinas
):
    client.force_login(pengurus)
    files = [jpeg(INSIDE_JPEG, "a.jpg"), jpeg(FAR_JPEG, "b.jpg"), jpeg(JPEG_BYTES, "c.jpg")]
    assert post_photos(client, janju, files).status_code == 302
    submission = Building.objects.get(cooperative=janju).submissions.get(step=CONSTRUCTION)
    near, far, bare = submission.files.order_by("original_name")
    with translation.override("en"):
        notes = photo_notes(Building.objects.get(cooperative=janju), [near, far, bare])
    assert notes[near.pk] == []
    assert any("outline" in n for n in notes[far.pk]) and any(" km from the land" in n for n in notes[far.pk])
    assert notes[bare.pk] == ["No position: neither the photo nor the phone gave one."]
    client.force_login(admin_dinas)
    page = client.get(reverse("buildings:verify_item", args=[submission.pk]), HTTP_ACCEPT_LANGUAGE="id")
    html = page.content.decode()
    assert html.count('data-testid="photo-warning"') == 3
    assert "-1,900000" in html or "-1.900000" in html


def test_the_office_marks_a_photo_public_with_a_stale_check_and_an_audit_row(client, janju, pengurus, admin_dinas):
    client.force_login(pengurus)
    post_photos(client, janju, [jpeg(INSIDE_JPEG)])
    photo = EvidenceFile.objects.get(submission__step=CONSTRUCTION)
    read = public_photo_token(photo)
    client.force_login(admin_dinas)
    url = reverse("buildings:photo_public", args=[photo.pk])
    assert client.post(url, {"public": "on", "dibaca": read}).status_code == 302
    photo.refresh_from_db()
    assert photo.is_public
    assert AuditEntry.objects.filter(action="buildings.photo_public").count() == 1
    # a second person from the same read takes it off: refused, nothing changed
    client.post(url, {"dibaca": read})
    photo.refresh_from_db()
    assert photo.is_public
    assert AuditEntry.objects.filter(action="buildings.photo_public").count() == 1
    # the pengurus may not choose what is public
    client.force_login(pengurus)
    assert client.post(url, {"public": "on", "dibaca": public_photo_token(photo)}).status_code == 404


def test_public_pages_show_the_step_and_only_public_photos_reencoded_without_metadata(
    client, janju, pengurus, admin_dinas
):
    cache.clear()
    client.force_login(pengurus)
    post_photos(client, janju, [jpeg(INSIDE_JPEG, "a.jpg"), jpeg(FAR_JPEG, "b.jpg")])
    shown, hidden = EvidenceFile.objects.filter(submission__step=CONSTRUCTION).order_by("original_name")
    services.set_photo_public(actor=admin_dinas, evidence=shown, public=True, token=public_photo_token(shown))
    services.verify(actor=admin_dinas, submission=shown.submission)
    client.logout()
    village = client.get(reverse("buildings:public_village", args=[JANJU]))
    html = village.content.decode()
    assert village.status_code == 200
    assert reverse("buildings:public_photo", args=[shown.pk]) in html
    assert reverse("buildings:public_photo", args=[hidden.pk]) not in html
    assert html.count("✓") == 2  # the land and the construction band verified; the survey never was
    for private in ("SHM 7/2025", "pengurus.janju", "admin.dinas", "a.jpg", "-1.9", "116.2"):
        assert private not in html
    served = client.get(reverse("buildings:public_photo", args=[shown.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    body = b"".join(served.streaming_content) if served.streaming else served.content
    image = Image.open(io.BytesIO(body))
    assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in body[:200]
    assert client.get(reverse("buildings:public_photo", args=[hidden.pk])).status_code == 404
    listing = client.get(reverse("buildings:public_list", args=["64.01"])).content.decode()
    assert reverse("buildings:public_village", args=[JANJU]) in listing
    assert "0–20%" in listing


def test_the_public_list_is_cached_and_follows_every_building_write(client, janju, admin_dinas, pengurus):
    cache.clear()
    url = reverse("buildings:public_village", args=[JANJU])
    client.get(url)
    client.force_login(pengurus)
    post_photos(client, janju, [jpeg(INSIDE_JPEG)])
    photo = EvidenceFile.objects.get(submission__step=CONSTRUCTION)
    services.set_photo_public(actor=admin_dinas, evidence=photo, public=True, token=public_photo_token(photo))
    client.logout()
    assert reverse("buildings:public_photo", args=[photo.pk]) in client.get(url).content.decode()


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_lists_and_details_buildings_in_scope_only(client, janju, admin_dinas, camat_batu_sopang):
    _token, raw = create_api_token(actor=None, user=admin_dinas, name="t")
    rows = client.get("/api/v1/gerai/wilayah/64.01.04", **bearer(raw)).json()
    janju_row = next(r for r in rows if r["region_code"] == JANJU)
    assert janju_row["step"] == LAND_PROPOSED and janju_row["step_key"] == "lahan_diusulkan"
    detail = client.get(f"/api/v1/gerai/{janju.pk}", **bearer(raw)).json()
    assert [s["status"] for s in detail["steps"]][:2] == ["verified", "not_started"]
    assert detail["bands"] == []
    _token, camat = create_api_token(actor=None, user=camat_batu_sopang, name="c")
    assert client.get("/api/v1/gerai/wilayah/64.01.04", **bearer(camat)).status_code == 404
    assert client.get(f"/api/v1/gerai/{janju.pk}", **bearer(camat)).status_code == 404
    own = client.get("/api/v1/gerai/wilayah/64.01.01", **bearer(camat)).json()
    assert own and all(r["region_code"].startswith("64.01.01.") for r in own)
    assert SUNGAI_TERIK in {r["region_code"] for r in own}
    assert client.get(f"/api/v1/gerai/{janju.pk}").status_code == 401
