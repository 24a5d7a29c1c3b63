"""Map layers: the stored boundaries under a region, coloured by stage (villages) or % formed (larger regions)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse

from kopdes.formation import workflow
from kopdes.formation.models import CooperativeVillage
from kopdes.regions.models import Level, Region, RegionBoundary, subtree_q

# % formed bands for larger regions, and one colour per stage for villages (colour-blind-safe sequential blues/greens)
PERCENT_BANDS = ((0, "#f1eef6"), (20, "#bdc9e1"), (40, "#74a9cf"), (60, "#2b8cbe"), (80, "#045a8d"))
STAGE_COLOURS = (
    "#f7f7f7",
    "#fee8c8",
    "#fdd49e",
    "#fdbb84",
    "#fc8d59",
    "#ef6548",
    "#d7301f",
    "#b30000",
    "#41ab5d",
    "#238b45",
    "#006d2c",
    "#00441b",
)


def percent_colour(percent: float) -> str:
    colour = PERCENT_BANDS[0][1]
    for low, band in PERCENT_BANDS:
        if percent >= low:
            colour = band
    return colour


def legend(formed_stage: int) -> dict:
    return {
        "stages": [
            {"number": s.number, "label": str(s.label), "colour": STAGE_COLOURS[s.number]} for s in workflow.STAGES
        ],
        "percent": [{"from": low, "colour": colour} for low, colour in PERCENT_BANDS],
        "formed_stage": formed_stage,
    }


def has_boundaries(code: str | None) -> bool:
    q = Q() if code is None else subtree_q(code, "region__code")
    return RegionBoundary.objects.filter(q).exists()


def layers(region: Region | None, formed_stage: int, *, case_links: bool = True) -> dict:
    """Two GeoJSON layers: the region's children above village level (% formed) and the villages (stage). Villages
    only for a kabupaten or below (a province's tens of thousands of outlines do not belong on one page)."""
    code = region.code if region is not None else None
    level = region.level if region is not None else 0
    within = Q() if code is None else subtree_q(code, "region__code")
    child_level = level + 1
    out: dict[str, dict[str, Any]] = {
        "areas": {"type": "FeatureCollection", "features": []},
        "villages": {"type": "FeatureCollection", "features": []},
    }
    if child_level < Level.DESA:
        width = len(code) + 3 if code else 2
        areas = list(
            RegionBoundary.objects.filter(within, region__level=child_level, region__is_active=True)
            .select_related("region")
            .defer("geojson")
            .order_by("region__code")
        )
        if areas:
            members = CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True)
            if code:
                members = members.filter(subtree_q(code, "village_code"))
            per = (
                members.annotate(p=Substr("village_code", 1, width))
                .values("p")
                .annotate(n=Count("id"), formed=Count("id", filter=Q(cooperative__stage__gte=formed_stage)))
            )
            counts = {row["p"]: row for row in per}
            for b in areas:
                row = counts.get(b.region.code, {"n": 0, "formed": 0})
                percent = 100.0 * row["formed"] / row["n"] if row["n"] else 0.0
                out["areas"]["features"].append(
                    {
                        "type": "Feature",
                        "geometry": json.loads(b.simplified),
                        "properties": {
                            "code": b.region.code,
                            "name": b.region.display_name,
                            "villages": row["n"],
                            "formed": row["formed"],
                            "percent": round(percent, 1),
                            "colour": percent_colour(percent),
                        },
                    }
                )
    if code is not None and level >= Level.KABUPATEN:  # a region of level 1 or more has a code
        boundaries = {
            b.region_id: b
            for b in RegionBoundary.objects.filter(within, region__level=Level.DESA, region__is_active=True).only(
                "region_id", "simplified"
            )
        }
        if boundaries:
            village_rows = (
                CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True)
                .filter(subtree_q(code, "village_code"))
                .values_list(
                    "village_id",
                    "village__code",
                    "village__name",
                    "village__kind",
                    "cooperative_id",
                    "cooperative__stage",
                )
            )
            for village_id, vcode, name, kind, cooperative_id, stage in village_rows:
                boundary = boundaries.get(village_id)
                if boundary is None:
                    continue
                word = "Kelurahan" if kind == "kelurahan" else "Desa"
                props = {
                    "code": vcode,
                    "name": f"{word} {name}",
                    "stage": stage,
                    "stage_label": str(workflow.stage(stage).label),
                    "formed": stage >= formed_stage,
                    "colour": STAGE_COLOURS[stage],
                }
                if case_links:
                    props["url"] = reverse("formation:case_detail", args=[cooperative_id])
                out["villages"]["features"].append(
                    {"type": "Feature", "geometry": json.loads(boundary.simplified), "properties": props}
                )
    return out
