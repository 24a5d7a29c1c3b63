from django.apps import AppConfig

from kopdes.formation.people_sources import register_people_source


class CooperativesConfig(AppConfig):
    name = "kopdes.cooperatives"

    def ready(self):
        from kopdes.cooperatives import audit_texts  # noqa: F401  (how its audit entries read)

        # models are loaded only now: the selector imports them
        from kopdes.cooperatives.selectors import people_of_cooperatives

        # members and board seats (past ones too) are known people of their villages: the public FAQ removes them
        register_people_source(people_of_cooperatives)
