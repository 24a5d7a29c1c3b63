"""Logging in and out is in the audit log: who, when, from which address, which second factor; never a
password, and a username that matches no account is not stored (people type passwords into that field)."""

from __future__ import annotations

from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG
from kopdes.tests.factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")


def test_a_login_is_audited_with_the_address_and_no_password(client, camat_batu_sopang):
    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3")

    entry = AuditEntry.objects.get(action="accounts.login")
    assert entry.actor == camat_batu_sopang
    assert entry.region_code == BATU_SOPANG
    assert entry.after == {"address": "10.1.2.3", "second_factor": ""}
    assert TEST_PASSWORD not in str(entry.after) + entry.object_repr


def test_a_failed_login_is_audited_for_the_account_without_the_password_tried(client, camat_batu_sopang):
    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": "rahasia-salah"}, REMOTE_ADDR="10.1.2.3")

    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.actor is None
    assert entry.object_id == str(camat_batu_sopang.pk)
    assert entry.region_code == BATU_SOPANG
    assert entry.after == {"address": "10.1.2.3", "reason": "password"}
    assert "rahasia-salah" not in str(entry.after) + entry.object_repr


def test_a_failed_login_for_no_account_does_not_store_what_was_typed(client, paser):
    typed = "6401011203850001"  # a NIK typed into the username field

    client.post(LOGIN, {"username": typed, "password": "x"})

    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.object_id == ""
    assert typed not in entry.object_repr + str(entry.after)


def test_a_logout_is_audited(client, camat_batu_sopang):
    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD})

    client.post(reverse("accounts:logout"))

    entry = AuditEntry.objects.get(action="accounts.logout")
    assert entry.actor == camat_batu_sopang
    assert entry.after["reason"] == "logout"


def test_the_office_reads_the_logins_of_its_region_in_the_audit_log(client, camat_batu_sopang, admin_dinas):
    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": "salah"})
    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD})
    client.post(reverse("accounts:logout"))
    client.force_login(admin_dinas)

    page = client.get(reverse("web:audit_log")).content.decode()

    for action in ("accounts.login", "accounts.login_failed", "accounts.logout"):
        assert action in page or AuditEntry.objects.filter(action=action, region_code=BATU_SOPANG).exists()
