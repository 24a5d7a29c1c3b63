from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kopdes.core.text import FORBIDDEN, strip_control_characters


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language (the cookie set by `web:set_language`).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is ignored: office PCs and cheap phones are often set
    to English while their users work in Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class PrivacyHeadersMiddleware:
    """Headers every response gets besides Django's own security headers and django-csp's policy.

    - `Permissions-Policy`: browser features Kopdes never uses are off (camera, microphone, …); the location for
      Kopdes's own pages only (a building photo's form sends the phone's location when the user allows it).
    - `Cache-Control: private, no-store` on every response to a signed-in user or an API token: member lists, user
      management, the audit log, evidence files and the API carry names and NIKs, and a page left in a shared office
      PC's cache or a proxy must not show them to the next person. Anonymous pages (login, the public page) may cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


class QueryCleaningMiddleware:
    """Control characters and hidden direction marks are dropped from every query parameter before any
    view reads them: `/pengguna/?q=%00` searches for nothing instead of failing (PostgreSQL refuses NUL in text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if any(FORBIDDEN.search(k) or any(FORBIDDEN.search(v) for v in vs) for k, vs in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(strip_control_characters(key), [strip_control_characters(v) for v in values])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]  # made immutable just above, as Django's own
            request.META["QUERY_STRING"] = cleaned.urlencode()
        return self.get_response(request)
