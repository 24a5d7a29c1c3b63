from django.apps import AppConfig


class BuildingsConfig(AppConfig):
    name = "kopdes.buildings"
    verbose_name = "Gerai dan pergudangan"

    def ready(self):
        from kopdes.buildings import audit_texts  # noqa: F401  (how its audit entries read)
