"""Reads of the region tree that need no user (scoped reads: `kopdes.accounts.scope`)."""

from django.db.models import Count
from django.db.models.functions import Substr

from kopdes.regions.models import Level, Region


def region_children(region: Region | None) -> list[dict]:
    """Children of a region with their number of active villages: two queries whatever the size of the tree."""
    if region is None:
        children = list(Region.objects.filter(level=Level.PROVINSI).active())
        villages = Region.objects.villages().active()
        width = 2
    else:
        children = list(region.children.active().order_by("code"))
        villages = Region.objects.subtree(region.code, include_self=False).villages().active()
        width = len(region.code) + 3 if region.level < Level.KECAMATAN else len(region.code) + 5
    counts = {}
    if children and children[0].level < Level.DESA:
        counts = dict(
            villages.annotate(prefix=Substr("code", 1, width))
            .values("prefix")
            .annotate(n=Count("id"))
            .values_list("prefix", "n")
        )
    return [{"region": child, "villages": counts.get(child.code)} for child in children]
