"""Where the demonstration city's buildings stand: each around one of its district's business
centres (`DistrictProfile.hubs`), and always inside the district's boundary as the platform
serves it (`GET /api/v1/map/districts`), so that the map shows every building in its district
whatever boundaries are in force. The same seed and boundaries give the same places."""

from __future__ import annotations

import random
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from demo.city import Building
from demo.places import PROFILES

SPREAD_DEGREES = 0.018  # about 2 km around a centre: one standard deviation
TRIES = 60


def areas_of(collection: dict[str, Any]) -> dict[str, BaseGeometry]:
    """district id → its area, from the platform's boundaries (a GeoJSON FeatureCollection)."""
    areas = {}
    for feature in collection["features"]:
        area = shape(feature["geometry"])
        shapely.prepare(area)
        areas[feature["properties"]["district_id"]] = area
    return areas


def place(building: Building, areas: dict[str, BaseGeometry], seed: int) -> dict[str, float]:
    """The building's location, `{"lng", "lat"}` rounded to about a metre, inside its district."""
    area = areas[building.district_id]
    rng = random.Random(f"sbe-demo-place:{seed}:{building.id}")
    hubs = next(p.hubs for p in PROFILES if p.district_id == building.district_id)
    for _ in range(TRIES):
        lng, lat = rng.choice(hubs) if hubs else _anywhere(rng, area)
        point = (rng.gauss(lng, SPREAD_DEGREES), rng.gauss(lat, SPREAD_DEGREES))
        if area.contains(shapely.Point(point)):
            return {"lng": round(point[0], 5), "lat": round(point[1], 5)}
    for _ in range(TRIES * 10):
        point = _anywhere(rng, area)
        if area.contains(shapely.Point(point)):
            return {"lng": round(point[0], 5), "lat": round(point[1], 5)}
    inner = area.representative_point()
    return {"lng": round(inner.x, 5), "lat": round(inner.y, 5)}


def _anywhere(rng: random.Random, area: BaseGeometry) -> tuple[float, float]:
    lng_min, lat_min, lng_max, lat_max = area.bounds
    return rng.uniform(lng_min, lng_max), rng.uniform(lat_min, lat_max)
