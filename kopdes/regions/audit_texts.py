"""How the regions' audit entries read, and region codes by their names (registered in RegionsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register, register_value_reader

COUNTS = {
    "created": _("regions added"),
    "updated": _("regions updated"),
    "unchanged": _("regions unchanged"),
    "deactivated": _("regions deactivated"),
    "names": _("renamed regions (code: name)"),
}
register("regions.import", _("imported the regions %(object)s"), group="settings", labels=COUNTS)
register("boundaries.load", _("loaded the region boundaries"), group="settings")


def _region_names(codes: set[str]) -> dict[str, str]:
    from kopdes.regions.models import Region

    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


register_value_reader(["region", "village", "villages", "region_code", "village_code"], _region_names)
