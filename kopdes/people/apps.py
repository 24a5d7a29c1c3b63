from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kopdes.people"

    def ready(self):
        from kopdes.people import audit_texts  # noqa: F401  (how its audit entries read)
