from django.db.models import Count
from django.db.models.functions import Substr

from kopdes.accounts.scope import NATION, in_scope, scope_codes
from kopdes.regions.models import Level, Region


def scope_roots(user) -> list[Region]:
    codes = scope_codes(user)
    if codes == [NATION]:
        return list(Region.objects.filter(level=Level.PROVINSI).active())
    return list(Region.objects.filter(code__in=codes))


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


def breadcrumb(user, region: Region, include_self: bool = False) -> list[tuple[Region, bool]]:
    """Ancestors of `region` (and itself, if asked) with whether the user may open each (outside the scope they are
    plain text)."""
    codes = region.ancestor_codes() + ([region.code] if include_self else [])
    ancestors = Region.objects.filter(code__in=codes).order_by("code")
    return [(ancestor, in_scope(user, ancestor.code)) for ancestor in ancestors]
