"""Reads of the region tree that need no user (scoped reads: `kopdes.accounts.scope`)."""

import csv
import functools
from pathlib import Path

from django.conf import settings

from kopdes.regions.models import Level, Region
from kopdes.regions.village_counts import village_counts


def region_children(region: Region | None) -> list[dict]:
    """Children of a region with their number of active villages (the kept counts, `village_counts`; None for a
    child without villages and for villages themselves): two queries whatever the size of the tree."""
    if region is None:
        children = list(Region.objects.filter(level=Level.PROVINSI).active())
    else:
        children = list(region.children.active().order_by("code"))
    counts: dict[str, int] = {}
    if children and children[0].level < Level.DESA:
        counts = village_counts([child.code for child in children])
    return [{"region": child, "villages": counts.get(child.code) or None} for child in children]


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
