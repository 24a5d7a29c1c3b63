from django.apps import AppConfig

from kopdes.formation.report_sections import register_report_section


class BuildingsConfig(AppConfig):
    name = "kopdes.buildings"
    verbose_name = "Gerai dan pergudangan"

    def ready(self):
        from kopdes.buildings import audit_texts  # noqa: F401  (how its audit entries read)

        # models are loaded only now: the section reads them
        from kopdes.buildings.report_section import SECTION

        # the building section of the camat's periodic report
        register_report_section(SECTION)
