"""The second factor: TOTP through django-otp with recovery codes; required for admin dinas in
production mode, available to every role; reset by whoever manages the account or by a command; all audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kopdes.accounts import services
from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import PASER
from kopdes.tests.factories import TEST_PASSWORD, make_user

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
SETUP = reverse("accounts:second_factor_setup")
HOME = reverse("web:home")
REQUIRED_FOR_ADMINS = override_settings(SECOND_FACTOR_REQUIRED_ROLES=["admin_dinas"])


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up the app through the service the page uses; returns the device and the recovery codes."""
    from kopdes.accounts import second_factor

    device = second_factor.pending_app(user)
    codes = services.enable_second_factor(user=user, device=device, token=current_code(device))
    device.refresh_from_db()
    device.last_t = -1  # let the test use the same time step again
    device.save()
    return device, codes


def wait_out_the_device_throttle(device) -> None:
    """After a wrong code django-otp refuses every code for 1 s, 2 s, 4 s, … (the device's own throttle)."""
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()


def signed_in(client):
    return client.get(HOME).wsgi_request.user


def test_with_a_second_factor_the_password_alone_does_not_log_in(client, camat_batu_sopang):
    device, _codes = enrol(camat_batu_sopang)

    response = client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD})

    assert response.status_code == 302 and response.url == CODE
    assert not signed_in(client).is_authenticated
    assert client.get(reverse("web:regions")).status_code == 302  # to the login page

    wrong = client.post(CODE, {"code": "000000" if current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert not signed_in(client).is_authenticated

    wait_out_the_device_throttle(device)
    right = client.post(CODE, {"code": current_code(device)})
    assert right.status_code == 302 and right.url == HOME
    assert signed_in(client) == camat_batu_sopang
    assert client.get(HOME).wsgi_request.user.is_verified()


def test_a_recovery_code_logs_in_once(client, camat_batu_sopang):
    _device, codes = enrol(camat_batu_sopang)
    assert len(codes) == 10

    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD})
    response = client.post(CODE, {"code": codes[0].upper()}, follow=True)
    assert response.wsgi_request.user == camat_batu_sopang
    assert "9 kode pemulihan tersisa" in response.content.decode().replace("tersisa.", "tersisa")
    client.post(reverse("accounts:logout"))

    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD})
    assert client.post(CODE, {"code": codes[0]}).status_code == 400
    assert not signed_in(client).is_authenticated


def test_the_code_step_without_a_password_first_goes_back_to_the_login(client, camat_batu_sopang):
    enrol(camat_batu_sopang)

    response = client.post(CODE, {"code": "123456"})

    assert response.status_code == 302 and response.url == LOGIN


def test_setting_up_the_app_shows_a_qr_code_and_refuses_a_wrong_code(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg width="' in html and 'class="kd-qr"' in html
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")

    device = TOTPDevice.objects.get(user=camat_batu_sopang)
    wrong = client.post(SETUP, {"code": "abcdef"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert device.confirmed is False
    assert not AuditEntry.objects.filter(action="accounts.enable_second_factor").exists()

    wait_out_the_device_throttle(device)
    done = client.post(SETUP, {"code": current_code(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed is True
    assert StaticDevice.objects.get(user=camat_batu_sopang).token_set.count() == 10
    entry = AuditEntry.objects.get(action="accounts.enable_second_factor")
    assert entry.actor == camat_batu_sopang
    assert not any(code.replace("-", "") in str(entry.after) for code in done.context["codes"])


@pytest.mark.parametrize("fixture", ["camat_batu_sopang", "operator_janju", "pimpinan", "mitra", "pendamping"])
def test_every_role_may_turn_the_second_factor_on(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(SETUP).status_code == 200


@REQUIRED_FOR_ADMINS
def test_an_admin_dinas_without_a_second_factor_must_set_it_up_before_anything_else(client, admin_dinas):
    client.post(LOGIN, {"username": admin_dinas.username, "password": TEST_PASSWORD})

    for url in (HOME, reverse("accounts:user_list"), reverse("web:audit_log"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == SETUP, url

    device = TOTPDevice.objects.get(user=admin_dinas) if TOTPDevice.objects.filter(user=admin_dinas).exists() else None
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=admin_dinas)
    client.post(SETUP, {"code": current_code(device)})

    assert client.get(reverse("accounts:user_list")).status_code == 200


@REQUIRED_FOR_ADMINS
def test_a_camat_is_not_required_to_have_one_in_production(client, camat_batu_sopang):
    client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD})

    assert client.get(HOME).status_code == 200


def test_outside_production_nobody_is_required_so_demo_logins_work_with_a_password(settings, client, admin_dinas):
    assert settings.PRODUCTION is False
    assert settings.SECOND_FACTOR_REQUIRED_ROLES == []

    client.post(LOGIN, {"username": admin_dinas.username, "password": TEST_PASSWORD})

    assert client.get(reverse("accounts:user_list")).status_code == 200


@REQUIRED_FOR_ADMINS
def test_a_required_second_factor_cannot_be_turned_off(client, admin_dinas):
    enrol(admin_dinas)
    client.force_login(admin_dinas)

    response = client.post(reverse("accounts:second_factor_disable"), {"password": TEST_PASSWORD})

    assert TOTPDevice.objects.filter(user=admin_dinas, confirmed=True).exists()
    assert response.status_code in (302, 400)


def test_turning_it_off_needs_the_password_and_is_audited(client, camat_batu_sopang):
    enrol(camat_batu_sopang)
    client.force_login(camat_batu_sopang)
    url = reverse("accounts:second_factor_disable")

    assert client.post(url, {"password": "salah"}).status_code == 400
    assert TOTPDevice.objects.filter(user=camat_batu_sopang).exists()

    assert client.post(url, {"password": TEST_PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=camat_batu_sopang).exists()
    assert not StaticDevice.objects.filter(user=camat_batu_sopang).exists()
    assert AuditEntry.objects.filter(action="accounts.disable_second_factor", actor=camat_batu_sopang).exists()


def test_new_recovery_codes_replace_the_old_ones(client, camat_batu_sopang):
    _device, old = enrol(camat_batu_sopang)
    client.force_login(camat_batu_sopang)

    new = client.post(reverse("accounts:recovery_codes")).context["codes"]

    assert set(new).isdisjoint(old)
    stored = set(StaticDevice.objects.get(user=camat_batu_sopang).token_set.values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in new}
    assert AuditEntry.objects.filter(action="accounts.renew_recovery_codes").count() == 1


def test_another_admin_dinas_of_the_regency_resets_a_lost_second_factor(client, admin_dinas):
    colleague = make_user("admin.kedua", Role.ADMIN_DINAS, PASER)
    enrol(colleague)
    client.force_login(admin_dinas)
    url = reverse("accounts:user_reset_second_factor", args=[colleague.pk])

    asked = client.post(url)
    assert asked.status_code == 200 and 'data-testid="confirm-action"' in asked.content.decode()
    assert TOTPDevice.objects.filter(user=colleague).exists()

    done = client.post(url, {"confirmed": "yes"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    entry = AuditEntry.objects.get(action="accounts.reset_second_factor")
    assert entry.actor == admin_dinas and entry.object_id == str(colleague.pk) and entry.region_code == PASER


def test_a_camat_cannot_reset_the_second_factor_of_its_admin_dinas(client, camat_batu_sopang, admin_dinas):
    enrol(admin_dinas)
    client.force_login(camat_batu_sopang)

    response = client.post(reverse("accounts:user_reset_second_factor", args=[admin_dinas.pk]), {"confirmed": "yes"})

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=admin_dinas).exists()


def test_a_server_operator_resets_it_with_a_command_and_a_reason(admin_dinas):
    enrol(admin_dinas)

    call_command("reset_second_factor", admin_dinas.username, reason="tiket 42", stdout=StringIO())

    assert not TOTPDevice.objects.filter(user=admin_dinas).exists()
    entry = AuditEntry.objects.get(action="accounts.reset_second_factor")
    assert entry.actor is None and "tiket 42" in entry.source


def test_the_django_admin_login_is_kopdes_login(client, admin_dinas):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert (
        client.post("/admin/login/", {"username": admin_dinas.username, "password": TEST_PASSWORD}).status_code != 200
    )
    assert not signed_in(client).is_authenticated
