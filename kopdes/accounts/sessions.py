"""Session lifetimes per role and the form a user was filling in when the session ended.

Rule: admin dinas and pimpinan are signed out after 30 minutes without a request, the other roles after
8 hours; every session ends at the latest after the role's absolute lifetime (settings SESSION_IDLE_SECONDS,
SESSION_ABSOLUTE_SECONDS; an account with several roles gets the shortest of each).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from kopdes.accounts.models import User


STARTED_KEY = "kd_started"  # seconds since the epoch at login
SEEN_KEY = "kd_seen"  # seconds since the epoch of the last request (to the minute)
EXPIRED_KEY = "kd_expired"  # why the last session ended ("idle" or "absolute"), for the login page's message
FORM_KEY = "kd_form"  # a form posted after the session ended
FORM_KEEP_SECONDS = 3600
FORM_MAX_CHARACTERS = 100_000


def limits(user: User) -> tuple[int, int]:
    """(idle, absolute) seconds for `user`: the shortest over its active roles; `default` for none or unnamed ones."""
    roles = {a.role for a in user.active_assignments()} or {"default"}
    idle, absolute = settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS
    return (
        min(idle.get(role, idle["default"]) for role in roles),
        min(absolute.get(role, absolute["default"]) for role in roles),
    )


def start(session) -> None:
    """Called at login: the absolute lifetime counts from here."""
    session[STARTED_KEY] = session[SEEN_KEY] = time.time()


def expiry_reason(user: User, session, now: float) -> str:
    """'idle', 'absolute' or '' (the session goes on). A session without the marks (older than this rule) goes on."""
    started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
    if started is None or seen is None:
        return ""
    idle, absolute = limits(user)
    if now - started > absolute:
        return "absolute"
    if now - seen > idle:
        return "idle"
    return ""


def stash_form(request: HttpRequest, *, user_pk: int) -> str:
    """Keep the fields of a POST that came after the session ended, in the (new, anonymous) session — Django's login
    keeps the data of an anonymous session. Returns the address to come back to after login: the page the form was
    on (the same-site Referer) or the posted address. Files cannot be kept; their field names are remembered so the
    page can say which to choose again. The CSRF token is dropped (the restored form carries a fresh one)."""
    fields = [
        [name, value] for name, values in request.POST.lists() if name != "csrfmiddlewaretoken" for value in values
    ]
    files = sorted({name for name, _files in request.FILES.lists()})
    if sum(len(name) + len(value) for name, value in fields) <= FORM_MAX_CHARACTERS:
        request.session[FORM_KEY] = {
            "user": user_pk,
            "action": request.path,
            "page": _form_page(request),
            "fields": fields,
            "files": files,
            "at": time.time(),
        }
    return _form_page(request)


def _form_page(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def restored_form(request: HttpRequest) -> dict:
    """Context processor: on the page the form was on, after the same user logged in again, the kept fields (rendered
    as JSON by base.html and put back into the form by static/js/restore_form.js). Taken once; a kept form of another
    user (a shared office PC) is dropped unseen."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None or FORM_KEY not in session:
        return {}
    kept = session[FORM_KEY]
    if kept["user"] != user.pk or time.time() - kept["at"] > FORM_KEEP_SECONDS:
        del session[FORM_KEY]
        return {}
    if urlsplit(kept["page"]).path != request.path:
        return {}
    del session[FORM_KEY]
    return {"restored_form": {"action": kept["action"], "fields": kept["fields"], "files": kept["files"]}}
