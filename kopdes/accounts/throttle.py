"""Login throttling: failed attempts counted per account and per client address in the (database) cache."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    limit = settings.LOGIN_FAILURE_LIMIT
    # An office or a village shares one address behind NAT: allow it more tries than one account.
    return [(f"login-fail:user:{username.strip().lower()}", limit), (f"login-fail:addr:{address}", limit * 4)]


def is_locked(username: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username, address))


def note_failure(username: str, address: str) -> None:
    for key, _limit in _keys(username, address):
        if not cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_failures(username: str) -> None:
    cache.delete(f"login-fail:user:{username.strip().lower()}")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
