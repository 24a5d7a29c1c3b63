"""Loading region boundaries from GeoJSON files (the files stay where they are; only geometries are stored)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from kopdes.audit.services import record_audit
from kopdes.regions.models import Region, RegionBoundary

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

PRECISION = 4  # about 11 m: plenty for a village outline on a dashboard map


class BoundaryError(Exception):
    pass


@dataclass
class LoadResult:
    loaded: int = 0
    unknown: int = 0  # features whose code is no region in the database


def _round_ring(ring: list) -> list:
    out: list = []
    for point in ring:
        p = [round(float(point[0]), PRECISION), round(float(point[1]), PRECISION)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify(geometry: dict) -> dict:
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_round_ring(r) for r in geometry["coordinates"]]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[_round_ring(r) for r in poly] for poly in geometry["coordinates"]]}
    raise BoundaryError(_("Unsupported geometry type %(type)s (Polygon or MultiPolygon expected).") % {"type": kind})


def read_features(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise BoundaryError(_("File not found: %(path)s") % {"path": path}) from missing
    except (UnicodeDecodeError, json.JSONDecodeError) as bad:
        raise BoundaryError(_("%(path)s is not valid GeoJSON: %(error)s") % {"path": path, "error": bad}) from bad
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryError(_("%(path)s is not a GeoJSON FeatureCollection.") % {"path": path})
    for number, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") or {}
        if not props.get("kode") or not isinstance(feature.get("geometry"), dict):
            raise BoundaryError(
                _("%(path)s, feature %(n)s: a 'kode' property and a geometry are required.")
                % {"path": path, "n": number}
            )
    return data["features"]


def load_boundaries(paths: list[Path], actor: AbstractBaseUser | None = None) -> LoadResult:
    """Read every file first (a bad file changes nothing), then upsert one boundary per known region code."""
    features = [(path, f) for path in paths for f in read_features(path)]
    prepared = [(path, f["properties"]["kode"], f["geometry"], simplify(f["geometry"])) for path, f in features]
    regions = {r.code: r for r in Region.objects.filter(code__in=[code for _p, code, *_rest in prepared])}
    result = LoadResult()
    with transaction.atomic():
        existing = {b.region_id: b for b in RegionBoundary.objects.filter(region__in=regions.values())}
        new, changed = [], []
        for path, code, geometry, light in prepared:
            region = regions.get(code)
            if region is None:
                result.unknown += 1
                continue
            values = {"geojson": json.dumps(geometry), "simplified": json.dumps(light), "source": path.name}
            boundary = existing.get(region.pk)
            if boundary is None:
                new.append(RegionBoundary(region=region, **values))
            else:
                for name, value in values.items():
                    setattr(boundary, name, value)
                changed.append(boundary)
            result.loaded += 1
        RegionBoundary.objects.bulk_create(new, batch_size=500)
        RegionBoundary.objects.bulk_update(changed, ["geojson", "simplified", "source"], batch_size=500)
        record_audit(
            actor=actor,
            action="boundaries.load",
            obj=None,
            after={"files": [str(p) for p in paths], "loaded": result.loaded, "unknown": result.unknown},
        )
    return result
