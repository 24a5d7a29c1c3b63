from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kopdes.reports"

    def ready(self):
        from kopdes.reports import audit_texts  # noqa: F401  (how its audit entries read)
