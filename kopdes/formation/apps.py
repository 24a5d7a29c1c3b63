from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "kopdes.formation"

    def ready(self):
        from kopdes.formation import audit_texts  # noqa: F401  (how its audit entries read)
