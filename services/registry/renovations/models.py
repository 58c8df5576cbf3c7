"""Renovation table."""

from datetime import date, datetime

from sqlmodel import Field

from policy import ReviewColumns
from services.registry.db import RegistryTable
from shared import UTCDateTime, utcnow


class Renovation(RegistryTable, ReviewColumns, table=True):
    """One renovation project of a stock building. Its completion is reviewed (`ReviewColumns`):
    it counts as a completed renovation only once an administrator verified it."""

    id: str = Field(primary_key=True, max_length=64)
    building_id: str = Field(foreign_key="building.id", index=True, max_length=64)
    started_on: date
    completed_on: date | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
