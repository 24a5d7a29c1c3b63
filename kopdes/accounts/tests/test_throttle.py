"""Login throttling: the pair (username, address) is locked after the limit; an address is slowed down,
never locked, so a village office behind one address is not kept out by someone else's guessing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse

from kopdes.accounts import throttle
from kopdes.tests.factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
OFFICE = "10.20.30.40"
ELSEWHERE = "10.99.0.1"


def log_in(client, username: str, password: str = TEST_PASSWORD, address: str = OFFICE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def error_codes(response) -> set[str]:
    if response.status_code == 302:
        return set()
    return {error.code for error in response.context["form"].errors.as_data().get(NON_FIELD_ERRORS, [])}


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand (the cache's own expiry is not involved: the windows are long)."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle, "_now", lambda: now[0], raising=False)
    return now


def test_twenty_failures_from_one_address_do_not_lock_out_someone_who_knows_the_password(client, camat_batu_sopang):
    """Once broken: 20 failed logins from one address with any usernames locked out everyone at that address for
    15 minutes, even with the right password."""
    for attempt in range(20):
        log_in(client, f"tebakan{attempt}", "salah")

    response = log_in(client, camat_batu_sopang.username)

    assert response.status_code == 302
    assert response.url == reverse("web:home")


def test_an_address_past_the_limit_is_slowed_down_not_locked(client, camat_batu_sopang, operator_janju, clock):
    for attempt in range(settings.LOGIN_ADDRESS_SLOWDOWN_AFTER + 1):
        clock[0] += settings.LOGIN_ADDRESS_DELAY_SECONDS + 1  # each guess waits out the delay: all are checked
        assert error_codes(log_in(client, f"tebakan{attempt}", "salah")) == {"invalid_login"}

    # right after the last failure, the next attempt from the address waits a few seconds (the password is not read)
    refused = log_in(client, camat_batu_sopang.username)
    assert error_codes(refused) == {"slowed"}
    assert f"{settings.LOGIN_ADDRESS_DELAY_SECONDS} detik" in refused.content.decode()
    # the refused attempt did not push the wait further out
    clock[0] += settings.LOGIN_ADDRESS_DELAY_SECONDS + 1
    assert log_in(client, camat_batu_sopang.username).status_code == 302
    client.post(reverse("accounts:logout"))
    # another address is not slowed at all
    assert log_in(client, operator_janju.username, address=ELSEWHERE).status_code == 302


def test_the_pair_is_locked_but_the_same_account_from_another_address_is_not(client, camat_batu_sopang):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, camat_batu_sopang.username, "salah")

    assert error_codes(log_in(client, camat_batu_sopang.username)) == {"locked"}
    assert log_in(client, camat_batu_sopang.username, address=ELSEWHERE).status_code == 302


def test_a_colleague_at_the_same_address_is_not_locked_by_one_account_s_lock(client, camat_batu_sopang, operator_janju):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, camat_batu_sopang.username, "salah")

    assert log_in(client, operator_janju.username).status_code == 302
