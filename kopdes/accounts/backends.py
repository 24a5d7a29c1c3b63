from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class KopdesBackend(ModelBackend):
    """Django's model backend, except that demo accounts never log in in production mode."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and settings.PRODUCTION:
            return False
        return super().user_can_authenticate(user)
