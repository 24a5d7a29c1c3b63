"""Reads of the region tree that need no user (scoped reads: `kopdes.accounts.scope`)."""

import csv
import functools
from pathlib import Path

from django.conf import settings
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


@functools.lru_cache(maxsize=1)
def _national_codes(directory: str) -> frozenset[str]:
    """Kabupaten and kecamatan codes of the national list the project carries (npm `idn-area-data`), without dots."""
    found: set[str] = set()
    for name in ("regencies.csv", "districts.csv"):
        path = Path(directory) / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found.add(row["code"].replace(".", ""))
    return frozenset(found)


def region_codes_in_force() -> frozenset[str]:
    """The kabupaten/kota (4 digits) and kecamatan (6 digits) codes in force, without dots, as the NIK's region
    digits are written: the national list (settings.REGION_NPM_DATA_DIR) and the active regions of the tree. A NIK
    whose region digits are not among them was registered under a code given up since (pemekaran)."""
    tree = Region.objects.filter(level__in=(Level.KABUPATEN, Level.KECAMATAN), is_active=True).values_list(
        "code", flat=True
    )
    return _national_codes(str(settings.REGION_NPM_DATA_DIR)) | {code.replace(".", "") for code in tree}
