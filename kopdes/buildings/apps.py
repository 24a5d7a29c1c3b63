from django.apps import AppConfig


class BuildingsConfig(AppConfig):
    name = "kopdes.buildings"
    verbose_name = "Gerai dan pergudangan"

    def ready(self):
        from kopdes.buildings import audit_texts  # noqa: F401  (how its audit entries read)
        from kopdes.buildings.report_section import SECTION  # models are loaded only now: the section reads them
        from kopdes.formation.report_sections import register_report_section

        # the building section of the camat's periodic report
        register_report_section(SECTION)
