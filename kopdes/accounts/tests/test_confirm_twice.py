"""A deactivation confirmed in two tabs (or by two managers) happens once: the second sees that it is done, and the
audit log has one entry. GET only asks; nothing changes before the confirmation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_second_deactivation_says_it_is_done_and_audits_nothing(client, admin_dinas):
    account = make_user("op.janju2", Role.OPERATOR_DESA, JANJU)
    address = reverse("accounts:user_deactivate", args=[account.pk])
    client.force_login(admin_dinas)

    asked = client.get(address)
    account.refresh_from_db()
    assert asked.status_code == 200 and 'data-testid="confirm-action"' in asked.content.decode()
    assert account.is_active

    client.post(address, {"confirmed": "yes"})
    again = client.post(address, {"confirmed": "yes"}, follow=True)

    account.refresh_from_db()
    assert not account.is_active
    assert "sudah dinonaktifkan" in again.content.decode()
    assert AuditEntry.objects.filter(action="accounts.deactivate_user", object_id=str(account.pk)).count() == 1


def test_a_reset_without_the_confirmation_field_changes_nothing(client, admin_dinas):
    account = make_user("op.janju3", Role.OPERATOR_DESA, JANJU)
    client.force_login(admin_dinas)

    response = client.post(reverse("accounts:user_reset_password", args=[account.pk]), {})

    assert response.status_code == 200 and 'data-testid="confirm-action"' in response.content.decode()
    assert "one-time-password" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.reset_password").exists()
