from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "kopdes.returns"

    def ready(self) -> None:
        from kopdes.returns import audit_texts  # noqa: F401  (registers the audit sentences)
