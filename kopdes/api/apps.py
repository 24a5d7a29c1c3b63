from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kopdes.api"

    def ready(self):
        from kopdes.api import audit_texts  # noqa: F401  (how its audit entries read)
