"""The active villages per region and kind (models.RegionVillageCount), recounted whenever the tree changes: by the
region importer in its transaction (`recount`), and after a single save or delete of a village (`post_save` and
`post_delete`, connected in apps.py: the admin, tests). Bulk writes outside the importer (`bulk_create`,
`QuerySet.update`) send no signals: call `recount` after them (as the benchmarks do).

A recount is four grouped queries over the villages (the nation, then the code prefixes of width 2, 5 and 8) and
rewrites the table (a few thousand rows for the national tree), so readers never count villages."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Substr

from kopdes.regions.models import Level, Region, RegionVillageCount

WIDTHS = (2, 5, 8)  # province "64", kabupaten "64.01", kecamatan "64.01.04"


def recount(region_model=Region, count_model=RegionVillageCount) -> int:
    """Rewrite the table from the active villages; returns the number of rows written. The model arguments let a
    data migration pass its historical models."""
    villages = region_model.objects.filter(level=Level.DESA, is_active=True)
    rows = [
        count_model(region_code="", kind=kind, villages=n)
        for kind, n in villages.values_list("kind").annotate(n=Count("id")).order_by()
    ]
    for width in WIDTHS:
        grouped = (
            villages.annotate(p=Substr("code", 1, width)).values_list("p", "kind").annotate(n=Count("id")).order_by()
        )
        rows += [count_model(region_code=p, kind=kind, villages=n) for p, kind, n in grouped]
    with transaction.atomic():
        count_model.objects.all().delete()
        count_model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def village_counts(codes: list[str], kind: str = "") -> dict[str, int]:
    """The active villages under each of `codes` ("" the nation; a province, kabupaten or kecamatan), of one kind
    when given. One query over (codes × kinds) rows."""
    found = dict.fromkeys(codes, 0)
    rows = RegionVillageCount.objects.filter(region_code__in=codes)
    if kind:
        rows = rows.filter(kind=kind)
    for code, n in rows.values_list("region_code", "villages"):
        found[code] += n
    return found


def _village_changed(sender, instance: Region, **kwargs) -> None:
    if instance.level == Level.DESA and not kwargs.get("raw"):
        recount()


__all__ = ["recount", "village_counts"]
