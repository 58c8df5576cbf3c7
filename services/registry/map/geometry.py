"""The districts' boundaries as geometry: a GeoJSON FeatureCollection (RFC 7946) checked with
shapely before the platform takes it. Pure: no database, no HTTP.

A collection is taken when it holds exactly the ten districts, once each, every one a valid
Polygon or MultiPolygon inside Suzhou's extent, and no two of them overlap (sharing a border is
not overlapping; an overlap smaller than `OVERLAP_TOLERANCE_M2` is the noise of rounded
coordinates, not a claim on a neighbour's land)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from shared import FieldError

# Suzhou's extent in degrees (CGCS2000; RFC 7946 and 天地图 treat them as WGS-84): a building's
# location and every boundary must lie inside it.
MIN_LNG, MAX_LNG = 119.9, 121.5
MIN_LAT, MAX_LAT = 30.7, 32.1

OVERLAP_TOLERANCE_M2 = 1_000.0
# Square metres in a square degree at Suzhou's latitude (about 31.3° N): areas are measured in
# degrees by shapely and told in square metres to people.
_M_PER_DEGREE = 111_320.0
M2_PER_SQUARE_DEGREE = _M_PER_DEGREE * _M_PER_DEGREE * math.cos(math.radians(31.3))


@dataclass(frozen=True)
class Area:
    """One district's boundary as the platform keeps it."""

    district_id: str
    geometry: BaseGeometry
    schematic: bool  # drawn to show where it is (示意), not taken from an authoritative source

    def feature(self, name_zh: str) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {
                "district_id": self.district_id,
                "name_zh": name_zh,
                "schematic": self.schematic,
            },
            "geometry": mapping(self.geometry),
        }


class BoundaryProblems(Exception):
    """What is wrong with a collection, field by field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def areas_of(collection: Mapping[str, Any], district_ids: Iterable[str]) -> list[Area]:
    """The ten districts' areas from a GeoJSON FeatureCollection, in `district_ids`' order, or
    BoundaryProblems naming each fault (a feature by its position: `features[3].geometry`)."""
    wanted = list(district_ids)
    if collection.get("type") != "FeatureCollection" or not isinstance(
        collection.get("features"), list
    ):
        raise BoundaryProblems(
            [FieldError(field="type", message="must be a GeoJSON FeatureCollection")]
        )
    errors: list[FieldError] = []
    found: dict[str, Area] = {}
    for index, feature in enumerate(collection["features"]):
        area = _area(feature, f"features[{index}]", wanted, found, errors)
        if area is not None:
            found[area.district_id] = area
    missing = [d for d in wanted if d not in found]
    if missing and not errors:
        errors.append(FieldError(field="features", message=f"no boundary for {', '.join(missing)}"))
    if not errors:
        errors.extend(_overlaps([found[d] for d in wanted]))
    if errors:
        raise BoundaryProblems(errors)
    return [found[d] for d in wanted]


def _area(
    feature: Any, where: str, wanted: list[str], found: Mapping[str, Area], errors: list[FieldError]
) -> Area | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        errors.append(FieldError(field=where, message="must be a GeoJSON Feature"))
        return None
    properties = feature.get("properties") or {}
    district_id = properties.get("district_id") if isinstance(properties, dict) else None
    if district_id not in wanted:
        errors.append(
            FieldError(
                field=f"{where}.properties.district_id",
                message=f"must be one of the ten districts ({', '.join(wanted)})",
            )
        )
        return None
    if district_id in found:
        errors.append(
            FieldError(
                field=f"{where}.properties.district_id", message=f"{district_id} appears twice"
            )
        )
        return None
    geometry = _geometry(feature.get("geometry"), f"{where}.geometry", errors)
    if geometry is None:
        return None
    return Area(district_id, geometry, bool(properties.get("schematic", False)))


def _geometry(raw: Any, where: str, errors: list[FieldError]) -> BaseGeometry | None:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        errors.append(FieldError(field=where, message="must be a Polygon or a MultiPolygon"))
        return None
    try:
        geometry = shape(raw)
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        OverflowError,
        shapely.errors.ShapelyError,
    ) as e:
        errors.append(FieldError(field=where, message=f"is not a readable geometry ({e})"))
        return None
    if geometry.is_empty:
        errors.append(FieldError(field=where, message="is empty"))
        return None
    if not geometry.is_valid:
        errors.append(
            FieldError(field=where, message=f"is not valid: {explain_validity(geometry)}")
        )
        return None
    lng_min, lat_min, lng_max, lat_max = geometry.bounds
    if lng_min < MIN_LNG or lng_max > MAX_LNG or lat_min < MIN_LAT or lat_max > MAX_LAT:
        errors.append(
            FieldError(
                field=where,
                message=(
                    f"reaches outside Suzhou's extent (longitude {MIN_LNG}–{MAX_LNG}, "
                    f"latitude {MIN_LAT}–{MAX_LAT})"
                ),
            )
        )
        return None
    return geometry


def _overlaps(areas: list[Area]) -> list[FieldError]:
    """Each pair of districts whose areas overlap by more than the tolerance."""
    tree = shapely.STRtree([a.geometry for a in areas])
    errors = []
    for i, j in zip(*tree.query([a.geometry for a in areas], predicate="intersects"), strict=True):
        if i >= j:
            continue
        shared_m2 = areas[i].geometry.intersection(areas[j].geometry).area * M2_PER_SQUARE_DEGREE
        if shared_m2 > OVERLAP_TOLERANCE_M2:
            errors.append(
                FieldError(
                    field="features",
                    message=(
                        f"{areas[i].district_id} and {areas[j].district_id} overlap "
                        f"(about {shared_m2 / 1e6:.2f} km²)"
                    ),
                )
            )
    return errors


def inside(areas: Iterable[Area], lng: float, lat: float) -> str | None:
    """The district whose area holds the point, if any."""
    point = shapely.Point(lng, lat)
    for area in areas:
        if area.geometry.covers(point):
            return area.district_id
    return None
