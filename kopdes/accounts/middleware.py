import time
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from kopdes.accounts import second_factor
from kopdes.accounts.scope import primary_region
from kopdes.accounts.services import record_logout
from kopdes.accounts.sessions import (
    EXPIRED_KEY,
    SEEN_KEY,
    STARTED_KEY,
    expiry_reason,
    stash_form,
)

# The last-seen time is written at most this often, so a busy user does not cost a session write per request.
SEEN_RESOLUTION_SECONDS = 60


class SessionLifetimeMiddleware:
    """End a session after the role's idle time or absolute lifetime (settings SESSION_IDLE_SECONDS and
    SESSION_ABSOLUTE_SECONDS), and keep what a form posted after that carried.

    A POST that arrives after the end is answered like any anonymous request (the view's login_required sends it to
    the login page); its fields are kept in the new session (never in the URL; files cannot be kept and are named) and
    offered again in the form after the same user logs in (`sessions.restored_form`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        expired_user = None
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            reason = expiry_reason(user, session, now)
            if reason:
                expired_user = user.pk
                record_logout(user=user, address=request.META.get("REMOTE_ADDR", ""), reason=reason)
                logout(request)
                request.session[EXPIRED_KEY] = reason
            elif STARTED_KEY not in session:  # a session from before this check existed
                session[STARTED_KEY] = session[SEEN_KEY] = now
            elif now - session.get(SEEN_KEY, 0) > SEEN_RESOLUTION_SECONDS:
                session[SEEN_KEY] = now
        response = self.get_response(request)
        if expired_user is not None and request.method == "POST" and _goes_to_login(response):
            back_to = stash_form(request, user_pk=expired_user)
            response["Location"] = f"{reverse('accounts:login')}?{urlencode({'next': back_to})}"
        return response


def _goes_to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response.get("Location", "")).path == reverse("accounts:login")


class UserTimezoneMiddleware:
    """Show timestamps in the zone of the user's region (WIB/WITA/WIT); storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        region = primary_region(request.user)
        if region is not None:
            timezone.activate(zoneinfo.ZoneInfo(region.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class AccountGateMiddleware:
    """Before anything else a signed-in account must (1) choose its own password when it holds a one-time password,
    (2) set up its second factor when its role requires one (settings SECOND_FACTOR_REQUIRED_ROLES)."""

    password_pages = ("accounts:password_change", "accounts:logout")
    second_factor_pages = (
        "accounts:logout",
        "accounts:second_factor_setup",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = request.user
        if user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            if user.must_change_password:
                if request.path not in {reverse(name) for name in self.password_pages}:
                    return redirect("accounts:password_change")
            elif second_factor.required_for(user) and not user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
                if request.path not in {reverse(name) for name in self.second_factor_pages}:
                    return redirect("accounts:second_factor_setup")
        return self.get_response(request)
