"""The JSON API: bearer tokens, the same scope as the pages (out of scope answers 404), no CDN on the docs page."""

import pytest
from django.core.management import call_command

from kopdes.api.models import ApiToken
from kopdes.api.services import create_api_token, revoke_api_token
from kopdes.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_refuses_requests_without_a_valid_token(client, camat_batu_sopang):
    assert client.get("/api/v1/wilayah/64.01.01").status_code == 401
    assert client.get("/api/v1/wilayah/64.01.01", **bearer("not-a-token")).status_code == 401


def test_camat_token_reads_its_kecamatan_with_its_nine_villages(client, camat_batu_sopang):
    _token, raw = create_api_token(actor=None, user=camat_batu_sopang, name="test")
    response = client.get("/api/v1/wilayah/64.01.01", **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Batu Sopang"
    assert len(body["children"]) == 9
    assert all(child["code"].startswith("64.01.01.") for child in body["children"])


def test_out_of_scope_region_answers_404_like_a_missing_one(client, camat_batu_sopang):
    _token, raw = create_api_token(actor=None, user=camat_batu_sopang, name="test")
    assert client.get("/api/v1/wilayah/64.01.04", **bearer(raw)).status_code == 404
    assert client.get("/api/v1/wilayah/99.99", **bearer(raw)).status_code == 404
    assert client.get("/api/v1/dasbor/64.01.04", **bearer(raw)).status_code == 404


def test_dashboard_endpoint_counts_villages_of_the_scope(client, admin_dinas):
    _token, raw = create_api_token(actor=admin_dinas, user=admin_dinas, name="test")
    body = client.get("/api/v1/dasbor/64.01", **bearer(raw)).json()
    assert body["villages"] == 144
    assert body["cooperatives"] == 0  # no programme started in this test
    assert [row["stage"] for row in body["stages"]] == list(range(12))


def test_revoked_token_and_deactivated_user_are_refused(client, camat_batu_sopang):
    token, raw = create_api_token(actor=None, user=camat_batu_sopang, name="test")
    revoke_api_token(actor=None, token=token)
    assert client.get("/api/v1/wilayah/64.01.01", **bearer(raw)).status_code == 401
    _token, raw2 = create_api_token(actor=None, user=camat_batu_sopang, name="second")
    camat_batu_sopang.is_active = False
    camat_batu_sopang.save()
    assert client.get("/api/v1/wilayah/64.01.01", **bearer(raw2)).status_code == 401


def test_token_is_stored_only_as_a_hash_and_creation_is_audited(camat_batu_sopang, capsys):
    call_command("create_api_token", camat_batu_sopang.username)
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=camat_batu_sopang)
    assert raw and raw not in token.key_hash
    assert AuditEntry.objects.filter(action="api.create_token", object_id=str(token.pk)).exists()


def test_api_docs_load_no_outside_assets(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/" in html
    assert "cdn." not in html and "https://" not in html.split("</head>")[0]


def test_returns_endpoint_is_scoped_like_the_dashboard(client, admin_dinas, camat_batu_sopang):
    from datetime import date

    from kopdes.regions.models import Region
    from kopdes.returns import services as returns_services
    from kopdes.returns import sums
    from kopdes.returns.models import ReturnPeriod

    returns_services.ensure_periods(until=date(2026, 3, 31))
    march = ReturnPeriod.objects.get(start=date(2026, 3, 1))
    # the kept sums as a submission in Janju writes them (kopdes/returns/sums.py)
    sums.write({(code, march.pk): [1, 1, 1, 1, 2_500_000, 3, 0, 0, 100_000, 0] for code in ("", "64", "64.01")})
    _token, raw = create_api_token(actor=admin_dinas, user=admin_dinas, name="test")
    response = client.get("/api/v1/laporan-usaha/64.01", **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    march_row = next(m for m in body["months"] if m["month"] == "2026-03-01")
    assert (march_row["revenue"], march_row["members_joined"], march_row["simpanan_wajib"]) == (2_500_000, 3, 100_000)
    assert len(body["children"]) == Region.objects.filter(parent__code="64.01").count()
    assert client.get("/api/v1/laporan-usaha/64.02", **bearer(raw)).status_code == 404
    assert client.get("/api/v1/laporan-usaha", **bearer(raw)).status_code == 404  # not a national account
    _token, camat = create_api_token(actor=None, user=camat_batu_sopang, name="camat")
    assert client.get("/api/v1/laporan-usaha/64.01.01", **bearer(camat)).status_code == 200
    assert client.get("/api/v1/laporan-usaha/64.01", **bearer(camat)).status_code == 404
