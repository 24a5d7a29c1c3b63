from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "kopdes.returns"

    def ready(self) -> None:
        from kopdes.returns import access_hook, audit_texts  # noqa: F401  (registers the access rule and audit sentences)
