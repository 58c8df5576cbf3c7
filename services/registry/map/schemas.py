"""Request and response models of the map (一张图)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

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


class BoundaryVersionPublic(BaseModel):
    """One version of the boundaries (0: those shipped with the platform)."""

    version: int
    source: str
    reason: str
    replaced_by: str | None
    replaced_at: datetime | None
    in_force: bool


# The GeoJSON the map serves (RFC 7946), described for the OpenAPI document and the console's
# generated types; the routes write it straight out (`application/geo+json`).
class DistrictProperties(BaseModel):
    district_id: str
    name_zh: str
    schematic: bool = Field(description="Drawn to show where it is (示意), not surveyed.")


class DistrictFeature(BaseModel):
    type: Literal["Feature"]
    properties: DistrictProperties
    geometry: dict[str, Any] = Field(description="A Polygon or a MultiPolygon (RFC 7946).")


class DistrictMap(BaseModel):
    """The ten districts' boundaries, in the plan's order."""

    type: Literal["FeatureCollection"]
    version: int = Field(description="Which boundaries (0: those shipped with the platform).")
    source: str = Field(description="Where they come from.")
    note: str | None = Field(default=None, description="Set while any boundary is schematic.")
    features: list[DistrictFeature]


class BuildingPoint(BaseModel):
    type: Literal["Point"]
    coordinates: list[float] = Field(
        min_length=2, max_length=2, description="[lng, lat], CGCS2000 degrees."
    )


class BuildingProperties(BaseModel):
    id: str
    name: str
    district_id: str
    lists: list[str] = Field(description="The 名录 it is on.")
    featured_industries: list[str] = Field(description="Its featured-industry designations.")
    tax_total_cny: str | None = Field(description="The year's tax so far; null: none reported.")
    tier: Literal["100m", "500m", "1b"] | None = Field(
        description="The highest line the year's tax is over (1亿, 5亿, 10亿)."
    )
    occupancy_rate: float | None = Field(description="The year's latest occupancy.")


class BuildingFeature(BaseModel):
    type: Literal["Feature"]
    geometry: BuildingPoint
    properties: BuildingProperties


class BuildingMap(BaseModel):
    """The located standing buildings the caller may see, by id."""

    type: Literal["FeatureCollection"]
    year: int
    features: list[BuildingFeature]
