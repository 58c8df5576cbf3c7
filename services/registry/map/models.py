"""The boundaries an administrator has given the platform, every version kept."""

from datetime import datetime

from sqlmodel import Field

from services.registry.db import RegistryTable
from shared import UTCDateTime, utcnow


class BoundaryVersion(RegistryTable, table=True):
    """One replacement of the districts' boundaries: the newest is in force. Before the first,
    the boundaries shipped with the platform are (version 0, see `shipped.py`)."""

    __tablename__ = "district_boundary_version"

    version: int | None = Field(default=None, primary_key=True)
    collection: str = Field(description="The FeatureCollection as taken (JSON).")
    source: str = Field(max_length=200)
    reason: str = Field(max_length=500)
    replaced_by: str = Field(max_length=100)
    replaced_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
