from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kopdes.notifications"

    def ready(self):
        from kopdes.notifications import audit_texts  # noqa: F401  (how its audit entries read)
