"""The server-error page (`handler500`): a database outage answers a short maintenance page, 503, instead of the
generic error. Neither page touches the database: both are rendered without a request context."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

OUTAGE_RETRY_SECONDS = 120


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this while handling the uncaught exception, so `sys.exception()` is the error: a database that
    cannot be reached or answers "locked" (OperationalError, InterfaceError) gives 503 with Retry-After; anything
    else the generic 500 page."""
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(OUTAGE_RETRY_SECONDS)
    else:
        response = HttpResponse(loader.render_to_string("500.html"), status=500)
    response["Cache-Control"] = "no-store"
    return response
