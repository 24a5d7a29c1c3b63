"""Login throttling in the (database) cache: lock one account from one address, slow an address down, never lock it.

A village office or a kecamatan shares one address behind NAT, so a lock on the address would keep out everyone there,
also the people who know their password. Instead:

- the pair (username, address) is locked after `LOGIN_FAILURE_LIMIT` failures inside `LOGIN_FAILURE_WINDOW_SECONDS`;
- an address with more than `LOGIN_ADDRESS_SLOWDOWN_AFTER` failures inside the window (any usernames) is slowed down:
  it gets one attempt per `LOGIN_ADDRESS_DELAY_SECONDS`; an attempt that comes earlier is refused without looking at
  the password, and does not push the next allowed attempt further out, so a colleague behind the same address waits
  seconds, never the whole window;
- wrong API tokens count per address the same way (`note_token_failure`), refused with 429 past the limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused before the password is checked: `locked` (the pair) or `slowed` (the address)."""

    code: str
    seconds: int


def _now() -> float:
    return time.time()


def _norm(username: str) -> str:
    return username.strip().lower()


def _pair_key(username: str, address: str) -> str:
    return f"login-fail:pair:{address}:{_norm(username)}"


def _address_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def _next_key(address: str) -> str:
    return f"login-next:addr:{address}"


def _count(key: str) -> int:
    return cache.get(key) or 0


def _increment(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def refusal(username: str, address: str) -> Refusal | None:
    """Whether an attempt for `username` from `address` is refused now, before its password is looked at."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    if _count(_pair_key(username, address)) >= settings.LOGIN_FAILURE_LIMIT:
        return Refusal("locked", window)
    wait = (cache.get(_next_key(address)) or 0) - _now()
    if wait > 0:
        return Refusal("slowed", math.ceil(wait))
    return None


def note_failure(username: str, address: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    _increment(_pair_key(username, address), window)
    if _increment(_address_key(address), window) > settings.LOGIN_ADDRESS_SLOWDOWN_AFTER:
        cache.set(_next_key(address), _now() + settings.LOGIN_ADDRESS_DELAY_SECONDS, window)


def clear_failures(username: str, address: str) -> None:
    """After a successful login: the pair starts afresh (the address keeps its count: one good login of an attacker's
    own account must not reset the slow-down for the guesses of others)."""
    cache.delete(_pair_key(username, address))


def token_refused(address: str) -> bool:
    """Wrong API tokens from `address` past the limit inside the window: refuse without looking the token up."""
    return _count(f"token-fail:addr:{address}") >= settings.API_TOKEN_FAILURE_LIMIT


def note_token_failure(address: str) -> None:
    _increment(f"token-fail:addr:{address}", settings.LOGIN_FAILURE_WINDOW_SECONDS)


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")
