"""Searches that may hold personal data (a NIK, a name) never travel in an address.

The search form is posted; the text is kept server-side (the cache) behind a random token for
settings.SEARCH_TOKEN_SECONDS, and the browser is redirected to the list's address with `?cari=<token>`, so paging
and reloading work while neither the browser history, the Referer nor the web server's access log sees the text.
A token works only for the user who made it and on the list it was made on; an expired one shows the whole list and
says so. It lives in the base layer because the user list (accounts) and the member list (cooperatives) both use it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import urlencode

from kopdes.core.text import strip_control_characters

TOKEN_PARAM = "cari"
MAX_LENGTH = 100


def _key(token: str) -> str:
    return f"search-token:{token}"


def posted_search(request: HttpRequest, *, keep: tuple[str, ...] = ()) -> HttpResponseRedirect | None:
    """For a POST of the search form: keep its `q` and redirect to the list with a token (and the `keep` fields, which
    carry no personal data, e.g. a status filter). None for other requests."""
    if request.method != "POST":
        return None
    # control characters dropped, as from any query parameter (PostgreSQL refuses NUL in a search)
    text = strip_control_characters(request.POST.get("q", "")).strip()[:MAX_LENGTH]
    params = {name: strip_control_characters(request.POST[name]) for name in keep if request.POST.get(name)}
    if text:
        token = secrets.token_urlsafe(12)
        cache.set(
            _key(token), {"user": request.user.pk, "path": request.path, "text": text}, settings.SEARCH_TOKEN_SECONDS
        )
        params[TOKEN_PARAM] = token
    return HttpResponseRedirect(f"{request.path}?{urlencode(params)}" if params else request.path)


def search_text(request: HttpRequest) -> tuple[str, bool]:
    """(the search text behind the address's token, whether a token was given but no longer works)."""
    token = request.GET.get(TOKEN_PARAM, "")
    if not token:
        return "", False
    kept = cache.get(_key(token[:64]))
    if not kept or kept["user"] != request.user.pk or kept["path"] != request.path:
        return "", True
    return kept["text"], False
