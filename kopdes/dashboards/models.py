"""Region boundaries for the map, loaded from GeoJSON by `manage.py load_boundaries PATH`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kopdes.regions.models import Region


class RegionBoundary(models.Model):
    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="boundary", verbose_name=_("region"))
    # the GeoJSON geometry as loaded, and a lighter copy (rounded coordinates, repeated points dropped) the map draws
    geojson = models.TextField(_("geometry (GeoJSON)"))
    simplified = models.TextField(_("simplified geometry (GeoJSON)"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region_id)
