from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kopdes.regions"
    verbose_name = _("Regions")

    def ready(self):
        from kopdes.regions import audit_texts  # noqa: F401  (how its audit entries read)
