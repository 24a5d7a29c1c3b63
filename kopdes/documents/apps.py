from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kopdes.documents"

    def ready(self):
        from kopdes.documents import audit_texts  # noqa: F401  (how its audit entries read)
