"""Reads for the public building pages: each village's step, band, channels and the photos the office marked
public. No person, no document, no certificate, handover or asset number, no position: only what the programme
reports in public (the step, the band, whether it trades) and the chosen photos, re-encoded without metadata.

Caching: the data of a page is cached under a key holding the newest `Building.updated_at`. Every building write
(submit, verify, return, a photo marked public or not) touches it (`services._touch`), so the key changes with every
change and a visitor never sees stale facts; `CACHE_SECONDS` only bounds how long unused entries live."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kopdes.buildings import workflow
from kopdes.buildings.models import Building, EvidenceFile
from kopdes.buildings.workflow import Band, ChannelState
from kopdes.formation.models import Cooperative
from kopdes.formation.selectors import programme_for
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.models import Level, Region

CACHE_SECONDS = 600
TRADING = _("Trading")
PUBLIC_LEVELS = (Level.KABUPATEN, Level.KECAMATAN)


def data_version() -> str:
    """Changes with every write to any building (one indexed MAX)."""
    newest = Building.objects.aggregate(v=Max("updated_at"))["v"]
    return newest.isoformat() if newest else "0"


def public_region(code: str) -> Region:
    """A kabupaten or kecamatan covered by an active programme, else 404."""
    region = Region.objects.filter(code=code, is_active=True, level__in=PUBLIC_LEVELS).first()
    if region is None or programme_for(region) is None:
        raise Http404
    return region


def public_village(code: str) -> tuple[Region, Cooperative]:
    """A village covered by an active programme with its active cooperative, else 404."""
    village = Region.objects.filter(code=code, is_active=True, level=Level.DESA).select_related("parent").first()
    cooperative = (
        Cooperative.objects.filter(region_code=code, is_active=True).order_by("id").first() if village else None
    )
    if village is None or cooperative is None or programme_for(village) is None:
        raise Http404
    return village, cooperative


def _step_label(building: Building | None) -> str:
    if building is None or not building.step:
        return str(workflow.Status.NOT_STARTED.label)
    if building.is_trading:
        return str(TRADING)
    return str(workflow.step(building.step).label)


def _row(village: Region, kecamatan: Region | None, building: Building | None) -> dict[str, Any]:
    return {
        "code": village.code,
        "name": village.display_name,
        "kecamatan": kecamatan.name if kecamatan else "",
        "step": building.step if building and building.step else 0,
        "step_label": _step_label(building),
        "band": str(Band(building.band).label) if building and building.band else "",
        "trading": bool(building and building.is_trading),
        "has_cooperative": building is not None,
    }


def region_list(region: Region) -> dict[str, Any]:
    """Every village of `region` (a kabupaten or kecamatan): its building's verified step and band, trading or not;
    with the count per step for the summary. A fixed number of queries."""
    villages = list(
        Region.objects.subtree(region.code)
        .villages()
        .active()
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    codes = [v.code for v in villages]
    cooperatives = dict(
        Cooperative.objects.filter(region_code__in=codes, is_active=True).values_list("region_code", "id")
    )
    buildings = {b.region_code: b for b in Building.objects.filter(region_code__in=codes, cooperative__is_active=True)}
    rows = []
    for village in villages:
        building = buildings.get(village.code)
        row = _row(village, village.parent, building)
        row["has_cooperative"] = village.code in cooperatives
        rows.append(row)
    counts = {number: 0 for number in range(0, len(workflow.STEPS) + 1)}
    for row in rows:
        counts[row["step"]] += 1
    return {
        "region": {"code": region.code, "name": region.display_name},
        "rows": rows,
        "summary": [
            (str(workflow.Status.NOT_STARTED.label), counts[0]),
            *[(str(s.label), counts[s.number]) for s in workflow.STEPS],
        ],
        "trading": sum(1 for row in rows if row["trading"]),
    }


def village_page(village: Region, cooperative: Cooperative) -> dict[str, Any]:
    """One village's building for the public: each step verified or not (with the month it was done), the band, the
    channels and their state, and the photos the office marked public (their date only)."""
    building = Building.objects.filter(cooperative=cooperative).first()
    done_on = {}
    channels, photos = [], []
    if building is not None:
        done_on = {
            workflow.LAND_PROPOSED: building.land_proposed_on,
            workflow.LAND_SURVEYED: building.surveyed_on,
            workflow.CONSTRUCTION: building.band_on,
            workflow.HANDOVER: building.handover_on,
            workflow.FIRST_SALE: building.first_sale_on,
        }
        channels = [
            {"name": c.kind.name, "state": str(ChannelState(c.state).label)}
            for c in building.channels.select_related("kind")
            if c.state
        ]
        photos = [
            {
                "pk": f.pk,
                "taken_on": f.taken_on,
                "band": str(Band(f.submission.band).label) if f.submission.band else "",
            }
            for f in EvidenceFile.objects.filter(building=building, is_public=True, content_type__startswith="image/")
            .select_related("submission")
            .order_by("-taken_on", "-id")[:12]
        ]
    verified = (
        set(
            building.submissions.filter(status=SubmissionStatus.VERIFIED, not_applicable=False).values_list(
                "step", flat=True
            )
        )
        if building is not None
        else set()
    )
    steps = [
        {
            "number": s.number,
            "label": str(s.label),
            "done": s.number in verified,
            "not_applicable": building is not None and s.number in building.not_applicable,
            "on": done_on.get(s.number),
        }
        for s in workflow.STEPS
    ]
    kecamatan = village.parent
    return {
        "village": {"code": village.code, "name": village.display_name},
        "kecamatan": {"code": kecamatan.code, "name": kecamatan.display_name} if kecamatan else None,
        "regency_code": ".".join(village.code.split(".")[:2]),
        "step_label": _step_label(building),
        "band": str(Band(building.band).label) if building and building.band else "",
        "trading": bool(building and building.is_trading),
        "steps": steps,
        "channels": channels,
        "photos": photos,
    }


def public_photo(pk: int) -> EvidenceFile:
    """A photo the office marked public, of an active cooperative under an active programme, else 404."""
    evidence = (
        EvidenceFile.objects.filter(pk=pk, is_public=True, content_type__startswith="image/")
        .select_related("building__cooperative")
        .first()
    )
    if evidence is None or not evidence.building.cooperative.is_active:
        raise Http404
    village = Region.objects.filter(code=evidence.building.region_code).first()
    if village is None or programme_for(village) is None:
        raise Http404
    return evidence
