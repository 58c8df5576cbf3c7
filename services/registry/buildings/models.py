"""Building tables, and how a building's fields sit in its columns."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from services.registry.buildings.schemas import BuildingBase
from services.registry.db import RegistryTable
from shared import UTCDateTime, utcnow


class Building(RegistryTable, table=True):
    """A building the registry knows, placed in one district."""

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    district_id: str = Field(foreign_key="district.district_id", index=True, max_length=32)
    address: str = Field(max_length=300)
    gross_floor_area_m2: float
    status: str = Field(sa_type=String(32))
    # `location` (BuildingBase) stored as its two parts: CGCS2000 degrees, both or neither.
    location_lng: float | None = None
    location_lat: float | None = None
    # Retired (demolished, merged into another…): kept, never deleted; it stops counting from the
    # year after it was retired.
    retired_on: date | None = None
    retired_as: str | None = Field(default=None, max_length=16)
    retired_reason: str | None = Field(default=None, max_length=500)
    retired_by: str | None = Field(default=None, max_length=100)
    merged_into: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def _parts(annotation: Any) -> tuple[str, ...] | None:
    """The fields of the model a field holds (`Location | None` → lng, lat), if it holds one."""
    for kind in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return tuple(kind.model_fields)
    return None


# A building field whose value is a model (its location) is stored as one column per part of it,
# named `<field>_<part>` (location_lng, location_lat): both set, or neither.
_NESTED = {
    name: parts
    for name, info in BuildingBase.model_fields.items()
    if (parts := _parts(info.annotation)) is not None
}


def columns_of(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A building's fields (BuildingBase's, as JSON) as its table's columns."""
    columns = dict(fields)
    for name, parts in _NESTED.items():
        if name in columns:
            value = columns.pop(name)
            columns.update({f"{name}_{part}": value and value[part] for part in parts})
    return columns


def fields_of(columns: Mapping[str, Any]) -> dict[str, Any]:
    """A building's columns as its fields: the inverse of `columns_of`."""
    fields = dict(columns)
    for name, parts in _NESTED.items():
        value = {part: fields.pop(f"{name}_{part}", None) for part in parts}
        fields[name] = None if None in value.values() else value
    return fields


class BuildingListEntry(RegistryTable, table=True):
    """A building's place on one of the three 名录."""

    __tablename__ = "building_list_entry"
    __table_args__ = (Index("ix_building_list_entry_list_key", "list_key"),)

    building_id: str = Field(foreign_key="building.id", primary_key=True, max_length=64)
    list_key: str = Field(primary_key=True, max_length=32)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FeaturedDesignation(RegistryTable, table=True):
    """A featured-industry designation (产业特色楼宇认定) the administrator made."""

    __tablename__ = "featured_designation"
    __table_args__ = (UniqueConstraint("building_id", "industry"),)

    id: int | None = Field(default=None, primary_key=True)
    building_id: str = Field(foreign_key="building.id", index=True, max_length=64)
    industry: str = Field(max_length=32, index=True)
    designated_on: date = Field(index=True)
    designated_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
