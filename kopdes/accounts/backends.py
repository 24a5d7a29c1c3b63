from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kopdes.accounts.models import User


class KopdesBackend(ModelBackend):
    """Django's model backend, except that demo accounts never log in in production mode."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if getattr(user, "is_demo", False) and settings.PRODUCTION:
            return False
        return super().user_can_authenticate(user)
