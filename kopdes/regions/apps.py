from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kopdes.regions"
    verbose_name = _("Regions")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from kopdes.regions import audit_texts  # noqa: F401  (how its audit entries read)
        from kopdes.regions.models import Region
        from kopdes.regions.village_counts import _village_changed

        post_save.connect(_village_changed, sender=Region, dispatch_uid="regions.village_counts.save")
        post_delete.connect(_village_changed, sender=Region, dispatch_uid="regions.village_counts.delete")
