"""Movements: what district systems report of enterprises moving in and out, and each record's
earlier versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field

from services.registry.db import RegistryTable
from shared import UTCDateTime, utcnow


class Movement(RegistryTable, table=True):
    """One enterprise moving into or out of a building, as a district system reported it.

    Record ids are the district systems' own: each district has its own namespace, so one
    district can neither collide with nor probe another's ids.
    """

    # The lists' order (newest first, then district and record id, all descending) is one of
    # these read backwards: a page of the city's or a district's year reads its rows in order
    # and stops, instead of sorting the year's movements.
    __table_args__ = (
        Index("ix_movement_date", "date", "district_id", "record_id"),
        Index("ix_movement_district_date", "district_id", "date", "record_id"),
        Index("ix_movement_building_date", "building_id", "date"),
    )

    district_id: str = Field(
        primary_key=True, max_length=32, description="The building's district when reported."
    )
    record_id: str = Field(primary_key=True, max_length=100)
    uscc: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    building_id: str = Field(foreign_key="building.id", max_length=64)
    kind: str = Field(max_length=16)
    date: date
    area_m2: float | None = None
    industry_code: str | None = Field(default=None, max_length=8)
    content_hash: str = Field(max_length=64, description="Tells a duplicate from a conflict.")
    pushed_by: str = Field(max_length=100)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Corrections make new versions (the earlier ones are kept in movement_version); a withdrawn
    # record stays, marked, and no longer counts.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MovementVersion(RegistryTable, table=True):
    """What a movement record said before a correction, or why it was withdrawn."""

    __tablename__ = "movement_version"

    district_id: str = Field(primary_key=True, max_length=32)
    record_id: str = Field(primary_key=True, max_length=100)
    version: int = Field(primary_key=True, description="The version this entry ended.")
    action: str = Field(max_length=16, description="corrected or withdrawn.")
    content: str = Field(max_length=4000, description="JSON of the record as it was.")
    reason: str = Field(max_length=500)
    by: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
