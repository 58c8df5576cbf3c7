"""Building tables."""

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

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
    # Retired (demolished, merged into another…): kept, never deleted; it stops counting from the
    # year after it was retired.
    retired_on: date | None = None
    retired_as: str | None = Field(default=None, max_length=16)
    retired_reason: str | None = Field(default=None, max_length=500)
    retired_by: str | None = Field(default=None, max_length=100)
    merged_into: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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
