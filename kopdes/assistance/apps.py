from django.apps import AppConfig

from kopdes.formation.case_sections import register_case_section


class AssistanceConfig(AppConfig):
    name = "kopdes.assistance"

    def ready(self):
        from kopdes.assistance import audit_texts  # noqa: F401  (how its audit entries read)

        # models are loaded only now: the selector imports them
        from kopdes.assistance.selectors.activities import case_activities

        # open follow-ups of visits and trainings attended, on the village's case page
        register_case_section(case_activities)
