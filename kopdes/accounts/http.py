"""The request type of the views behind `login_required`: its user is an account, never the anonymous user."""

from django.http import HttpRequest

from kopdes.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """For type checking only: what `login_required` guarantees (Django builds a plain `HttpRequest`)."""

    user: User
