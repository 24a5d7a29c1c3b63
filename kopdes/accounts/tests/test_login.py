"""Logging in and out: the Indonesian login page, throttling, deactivated and demo accounts, forced password change."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.test import override_settings
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG
from kopdes.tests.factories import TEST_PASSWORD, make_user

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "pisang-goreng-manis-77"


def log_in(client, username: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def logged_in_user(client):
    return client.get(reverse("web:home")).wsgi_request.user


def login_error_codes(response) -> set[str]:
    return {error.code for error in response.context["form"].errors.as_data().get(NON_FIELD_ERRORS, [])}


def test_login_page_is_in_indonesian(client, db):
    response = client.get(LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    # Django's own catalogue is complete for Indonesian: the field labels and the button
    assert "Nama pengguna" in html
    assert "Kata sandi" in html
    assert "Masuk" in html


def test_empty_login_is_answered_in_indonesian(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})

    assert response.status_code == 200
    assert "Kolom ini wajib diisi." in response.content.decode()


def test_login_with_the_right_password_opens_the_landing_page(client, camat_batu_sopang):
    response = log_in(client, camat_batu_sopang.username)

    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert logged_in_user(client) == camat_batu_sopang


def test_login_follows_a_safe_next_but_not_an_external_one(client, camat_batu_sopang):
    target = reverse("web:region", args=[BATU_SOPANG])

    response = client.post(LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD, "next": target})
    assert response.url == target
    client.logout()

    response = client.post(
        LOGIN, {"username": camat_batu_sopang.username, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("web:home")


def test_logout_is_a_post_and_ends_the_session(client, camat_batu_sopang):
    log_in(client, camat_batu_sopang.username)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_user(client) == camat_batu_sopang

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == LOGIN
    assert not logged_in_user(client).is_authenticated


def test_wrong_password_is_refused_with_a_message(client, camat_batu_sopang):
    response = log_in(client, camat_batu_sopang.username, "salah-sandinya")

    assert response.status_code == 200
    assert login_error_codes(response) == {"invalid_login"}
    assert 'role="alert"' in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(client, camat_batu_sopang):
    wrong_password = log_in(client, camat_batu_sopang.username, "salah-sandinya")
    unknown_user = log_in(client, "tidak.ada", "salah-sandinya")

    assert login_error_codes(unknown_user) == login_error_codes(wrong_password) == {"invalid_login"}


def test_after_the_failure_limit_even_the_right_password_is_refused(client, camat_batu_sopang):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        assert login_error_codes(log_in(client, camat_batu_sopang.username, "salah")) == {"invalid_login"}

    response = log_in(client, camat_batu_sopang.username)

    assert response.status_code == 200
    assert login_error_codes(response) == {"locked"}
    assert not logged_in_user(client).is_authenticated


def test_failures_below_the_limit_do_not_lock_and_success_clears_them(client, camat_batu_sopang):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, camat_batu_sopang.username, "salah")
    assert log_in(client, camat_batu_sopang.username).status_code == 302
    client.post(reverse("accounts:logout"))

    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, camat_batu_sopang.username, "salah")

    assert log_in(client, camat_batu_sopang.username).status_code == 302


def test_lock_is_per_account_and_ignores_username_case(client, camat_batu_sopang, operator_janju):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, camat_batu_sopang.username.upper(), "salah")

    assert login_error_codes(log_in(client, camat_batu_sopang.username)) == {"locked"}
    # another account from the same address still logs in
    assert log_in(client, operator_janju.username).status_code == 302


def test_deactivated_user_cannot_log_in(client, camat_batu_sopang):
    User.objects.filter(pk=camat_batu_sopang.pk).update(is_active=False)

    response = log_in(client, camat_batu_sopang.username)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not logged_in_user(client).is_authenticated


def test_session_of_a_deactivated_user_ends(client, camat_batu_sopang):
    log_in(client, camat_batu_sopang.username)

    User.objects.filter(pk=camat_batu_sopang.pk).update(is_active=False)

    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.fixture
def demo_user(paser):
    return make_user("demo.camat", Role.CAMAT, BATU_SOPANG, is_demo=True)


def test_demo_user_logs_in_outside_production(client, demo_user):
    assert log_in(client, demo_user.username).status_code == 302


@override_settings(PRODUCTION=True)
def test_demo_user_cannot_log_in_in_production(client, demo_user):
    response = log_in(client, demo_user.username)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not logged_in_user(client).is_authenticated


@override_settings(PRODUCTION=True)
def test_regular_user_logs_in_in_production(client, camat_batu_sopang):
    assert log_in(client, camat_batu_sopang.username).status_code == 302


@pytest.fixture
def fresh_account(paser):
    return make_user("operator.baru", Role.OPERATOR_DESA, "64.01.01.2013", must_change_password=True)


@pytest.mark.parametrize(
    "name, args",
    [("web:home", []), ("web:regions", []), ("web:region", ["64.01.01.2013"]), ("accounts:user_list", [])],
)
def test_must_change_password_redirects_every_page_to_the_password_change(client, fresh_account, name, args):
    log_in(client, fresh_account.username)

    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")


def test_must_change_password_hides_the_menu(client, fresh_account):
    log_in(client, fresh_account.username)

    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 200
    assert response.context["nav_items"] == []


def test_after_changing_the_password_pages_open_and_the_change_is_audited(client, fresh_account):
    log_in(client, fresh_account.username)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200  # the session survived the change
    fresh_account.refresh_from_db()
    assert fresh_account.must_change_password is False
    assert fresh_account.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.change_password")
    assert entry.actor == fresh_account
    assert entry.object_id == str(fresh_account.pk)
    assert entry.region_code == "64.01.01.2013"
    # the password itself never reaches the log
    assert NEW_PASSWORD not in str(entry.before) + str(entry.after) + entry.object_repr


def test_password_change_with_a_wrong_old_password_changes_nothing(client, fresh_account):
    log_in(client, fresh_account.username)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "bukan-ini", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    fresh_account.refresh_from_db()
    assert fresh_account.must_change_password is True
    assert not AuditEntry.objects.filter(action="accounts.change_password").exists()


def test_password_change_refuses_the_current_password_as_the_new_one(client, fresh_account):
    """Once broken: the password change accepted the current password again (a forced change changed nothing)."""
    log_in(client, fresh_account.username)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD},
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["new_password1"]] == ["password_unchanged"]
    assert "Kata sandi baru harus berbeda dari kata sandi saat ini." in response.content.decode()
    fresh_account.refresh_from_db()
    assert fresh_account.must_change_password is True
    assert not AuditEntry.objects.filter(action="accounts.change_password").exists()
    assert client.get(reverse("web:home")).status_code == 302  # still held at the password change


def test_password_rules_read_well_in_indonesian(client, fresh_account):
    log_in(client, fresh_account.username)

    page = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "1234567890", "new_password2": "1234567890"},
    ).content.decode()

    assert "Kata sandi ini hanya berisi angka; tambahkan huruf." in page
    assert "Kata sandi ini termasuk kata sandi yang paling sering dipakai" in page
    assert "Sandi anda" not in page  # Django's own wording


def test_password_change_refuses_a_weak_password(client, fresh_account):
    log_in(client, fresh_account.username)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.parametrize(
    ("role", "note"),
    [
        (Role.PENGURUS, "Anda memperbarui registri koperasi Anda"),
        (Role.PIMPINAN, "Akses Anda hanya baca."),
    ],
)
def test_landing_page_says_what_a_read_mostly_role_may_change(client, paser, role, note):
    code = "64.01.04.2002" if role == Role.PENGURUS else "64.01"
    client.force_login(make_user("peran.baca", role, code))

    page = client.get(reverse("web:home")).content.decode()

    assert note in page
    assert ("Akses Anda hanya baca." in page) == (role == Role.PIMPINAN)
