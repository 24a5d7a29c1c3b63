"""Plain geometry on region outlines: is a point inside an outline, how far apart are two points.

No GIS library is among the dependencies, and these two questions need none: the outlines are the simplified,
unofficial GeoJSON polygons of `RegionBoundary` (WGS 84 longitude/latitude), and a village is small enough for a flat
ray-casting test to be exact to the outline's own precision."""

from __future__ import annotations

import json
import math

EARTH_RADIUS_M = 6_371_008.8  # the mean Earth radius (IUGG), in metres


def _in_ring(ring: list, x: float, y: float) -> bool:
    """Ray casting (the even-odd rule): a horizontal ray from (x, y) crosses the ring's edges an odd number of times
    when the point lies inside. `ring`: [[longitude, latitude], …], closed or not."""
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = float(ring[i][0]), float(ring[i][1])
        x2, y2 = float(ring[i - 1][0]), float(ring[i - 1][1])
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygon(rings: list, x: float, y: float) -> bool:
    """Inside the outer ring and in none of its holes (GeoJSON Polygon coordinates)."""
    return bool(rings) and _in_ring(rings[0], x, y) and not any(_in_ring(hole, x, y) for hole in rings[1:])


def contains(geometry: dict | str, longitude: float, latitude: float) -> bool:
    """Whether the point lies inside a GeoJSON Polygon or MultiPolygon (a dict, or its JSON text). Another geometry
    type, or an empty one, contains nothing. A point exactly on an edge may fall either way."""
    shape: dict = json.loads(geometry) if isinstance(geometry, str) else geometry
    kind, coordinates = shape.get("type"), shape.get("coordinates") or []
    x, y = float(longitude), float(latitude)
    if kind == "Polygon":
        return _in_polygon(coordinates, x, y)
    if kind == "MultiPolygon":
        return any(_in_polygon(polygon, x, y) for polygon in coordinates)
    return False


def distance_m(latitude1: float, longitude1: float, latitude2: float, longitude2: float) -> float:
    """The great-circle distance between two WGS 84 points in metres (haversine on a sphere: within 0.5% of the
    ellipsoid, plenty for "is the photo near the land")."""
    phi1, phi2 = math.radians(float(latitude1)), math.radians(float(latitude2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(longitude2) - float(longitude1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))
