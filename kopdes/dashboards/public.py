"""The public transparency page: aggregated progress only — no person, no document, no user, no number of a decree.

Caching: the data of a page is cached under a key holding the region's version (formation's RegionVersion). Every
stage transition (submit, verify, return, step back, merge, start) bumps it for the regions above the case's villages
in its own transaction (formation.counts), so a visitor never sees stale figures and a move elsewhere leaves the page
warm; the lookup is one primary-key read. CACHE_SECONDS only bounds how long unused entries live.
"""

from __future__ import annotations

from django.http import Http404

from kopdes.clock import local_today
from kopdes.dashboards.maps import has_boundaries
from kopdes.dashboards.selectors import dashboard
from kopdes.formation import workflow
from kopdes.formation.models import Programme, RegionVersion, StageMove
from kopdes.formation.selectors import programme_for
from kopdes.regions.models import Level, Region
from kopdes.returns.dashboard import monthly

CACHE_SECONDS = 600
RETURNS_SECONDS = 300  # the public page's returns figures are at most this old
RECONSTRUCTION_SOURCES = ("demo", "demo-replay")


def region_version(code: str) -> int:
    """The version of the counts of `code` ("" the nation): bumped by formation.counts in the transaction of every
    move of a village below it, so a cache keyed by it goes cold only for the regions above the move."""
    return RegionVersion.objects.filter(region_code=code).values_list("version", flat=True).first() or 0


def public_regions() -> list[Region]:
    return [
        p.region for p in Programme.objects.filter(is_active=True).select_related("region").order_by("region__code")
    ]


def public_region(code: str) -> tuple[Region, Programme]:
    """A province, kabupaten or kecamatan covered by an active programme, else 404."""
    region = Region.objects.filter(
        code=code, is_active=True, level__in=[Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN]
    ).first()
    programme = programme_for(region) if region else None
    if region is None or programme is None:
        raise Http404
    return region, programme


def is_reconstruction(programme: Programme | None) -> bool:
    if programme is None:
        return False
    return StageMove.objects.filter(cooperative__programme=programme, source__in=RECONSTRUCTION_SOURCES).exists()


def public_data(region: Region, programme: Programme) -> dict:
    d = dashboard(region, with_villages=region.level >= Level.KABUPATEN)  # a province lists its kabupaten only
    villages = [
        {
            "name": row["village"].display_name,
            "code": row["village"].code,
            "kecamatan": row["kecamatan"].name,
            "stage": row["stage"],
            "formed": row["stage"].number >= d.formed_stage,
        }
        for row in d.village_rows or []
    ]
    return {
        "region": region,
        "programme_name": programme.name,
        "target": d.target.count if d.target else None,
        "deadline": d.target.deadline if d.target else None,
        "threshold": d.threshold,
        "percent_of_target": d.percent_of_target,
        "formed": d.formed,
        "formed_stage_label": str(workflow.stage(d.formed_stage).label),
        "n_villages": d.villages,
        "funnel": [(row["stage"].number, str(row["stage"].label), row["reached"]) for row in d.funnel],
        "children": [
            {
                "code": c.region.code,
                "name": c.region.display_name,
                "villages": c.villages,
                "formed": c.formed,
                "percent": c.percent_formed,
            }
            for c in d.children
        ],
        "villages": villages,
        "has_boundaries": has_boundaries(region.code),
        "reconstruction": is_reconstruction(programme),
        "today": d.today,
    }


def public_returns(region: Region) -> list[dict]:
    """The monthly returns of `region` for the public page, oldest month first: counts and amounts only (returns
    received, cooperatives and units trading, revenue, members joined and left, savings collected in whole rupiah),
    no cooperative, board member or BA named. Read from the kept sums (kopdes/returns/sums.py): two queries."""
    _periods, months = monthly(region.code, local_today(region.code))
    return [
        {
            "month": m.period.start if m.period else None,
            "submitted": m.submitted,
            "cooperatives_trading": m.cooperatives_trading,
            "units_trading": m.units_trading,
            "revenue": m.revenue,
            "members_joined": m.members_joined,
            "members_left": m.members_left,
            "savings": m.savings,
        }
        for m in months
        if m.submitted
    ]
