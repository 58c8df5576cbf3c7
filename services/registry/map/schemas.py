"""Request and response models of the map (一张图)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from services.registry.map.geometry import MAX_LAT, MAX_LNG, MIN_LAT, MIN_LNG
from shared import Line, RequestModel


class Location(RequestModel):
    """A point in CGCS2000 degrees (which RFC 7946 and 天地图 treat as WGS-84), inside Suzhou's
    extent."""

    lng: float = Field(ge=MIN_LNG, le=MAX_LNG, description="Longitude (经度), degrees east.")
    lat: float = Field(ge=MIN_LAT, le=MAX_LAT, description="Latitude (纬度), degrees north.")


class BoundariesReplace(RequestModel):
    """New boundaries for the ten districts, from an authoritative source: a GeoJSON
    FeatureCollection whose features carry `properties.district_id`."""

    collection: dict[str, Any] = Field(
        description="RFC 7946 FeatureCollection: one Polygon or MultiPolygon per district."
    )
    source: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        description="Where the boundaries come from (e.g. 市自然资源和规划局 2024 年行政区划)."
    )
    reason: Annotated[Line, Field(min_length=1, max_length=500)] = Field(
        description="Why they are replaced."
    )


class BoundaryVersionPublic(RequestModel):
    """One version of the boundaries (0: those shipped with the platform)."""

    version: int
    source: str
    reason: str
    replaced_by: str | None
    replaced_at: datetime | None
    in_force: bool
