"""API tokens: they expire (90 days unless set), are listed and revoked by a command and on a page
(the owner's and, for the regency's admin dinas, its accounts'), and wrong tokens are throttled per address."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kopdes.api.models import ApiToken
from kopdes.api.services import create_api_token
from kopdes.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/wilayah/64.01.01"
TOKENS = reverse("api_tokens:list")


def bearer(raw: str, address: str = "10.0.0.5") -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "REMOTE_ADDR": address}


def test_a_token_expires_after_ninety_days_by_default(client, camat_batu_sopang):
    token, raw = create_api_token(actor=None, user=camat_batu_sopang, name="sig")

    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=90), abs=timedelta(seconds=5))
    assert client.get(URL, **bearer(raw)).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(URL, **bearer(raw)).status_code == 401


def test_the_lifetime_is_a_setting(settings, camat_batu_sopang):
    settings.API_TOKEN_LIFETIME_DAYS = 7

    token, _raw = create_api_token(actor=None, user=camat_batu_sopang, name="sig")

    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=7), abs=timedelta(seconds=5))


def test_wrong_tokens_from_one_address_are_throttled(client, settings, camat_batu_sopang):
    _token, raw = create_api_token(actor=None, user=camat_batu_sopang, name="sig")
    for attempt in range(settings.API_TOKEN_FAILURE_LIMIT):
        assert client.get(URL, **bearer(f"tebakan-{attempt}")).status_code == 401

    assert client.get(URL, **bearer("tebakan-lagi")).status_code == 429
    assert client.get(URL, **bearer(raw)).status_code == 429  # the address waits, whatever it sends
    assert client.get(URL, **bearer(raw, address="10.0.0.6")).status_code == 200


def test_the_command_lists_tokens_without_secrets_and_revokes_one(camat_batu_sopang, admin_dinas):
    token, raw = create_api_token(actor=None, user=camat_batu_sopang, name="dasbor-bupati")
    create_api_token(actor=None, user=admin_dinas, name="lain")
    out = StringIO()

    call_command("api_tokens", user=camat_batu_sopang.username, stdout=out)

    listing = out.getvalue()
    assert "dasbor-bupati" in listing and "active" in listing and "lain" not in listing
    assert raw not in listing and token.key_hash not in listing

    call_command("api_tokens", revoke=token.pk, stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api.revoke_token", object_id=str(token.pk), actor=None).exists()
    out = StringIO()
    call_command("api_tokens", active=True, stdout=out)
    assert "dasbor-bupati" not in out.getvalue()


def test_the_owner_sees_and_revokes_its_own_tokens_only(client, camat_batu_sopang, operator_janju):
    own, raw = create_api_token(actor=None, user=camat_batu_sopang, name="milik-camat")
    other, _ = create_api_token(actor=None, user=operator_janju, name="milik-operator")
    client.force_login(camat_batu_sopang)

    page = client.get(TOKENS).content.decode()
    assert "milik-camat" in page and "milik-operator" not in page

    assert client.post(reverse("api_tokens:revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[own.pk])).status_code == 302
    assert client.get(URL, **bearer(raw)).status_code == 401
    other.refresh_from_db()
    assert other.revoked_at is None
    assert AuditEntry.objects.get(action="api.revoke_token").actor == camat_batu_sopang


def test_the_regency_admin_sees_and_revokes_the_tokens_of_its_accounts(client, admin_dinas, operator_janju):
    token, _raw = create_api_token(actor=None, user=operator_janju, name="aplikasi-desa")
    client.force_login(admin_dinas)

    assert "aplikasi-desa" in client.get(TOKENS).content.decode()
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_needs_a_post(client, camat_batu_sopang):
    token, _raw = create_api_token(actor=None, user=camat_batu_sopang, name="x")
    client.force_login(camat_batu_sopang)

    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
