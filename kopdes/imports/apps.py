from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kopdes.imports"

    def ready(self):
        from kopdes.imports import audit_texts  # noqa: F401  (how its audit entries read)
