"""The monitoring service's own copy of the registry's buildings."""

from datetime import datetime

from sqlmodel import Field

from services.monitoring.db import MonitoringTable
from shared import UTCDateTime


class KnownBuilding(MonitoringTable, table=True):
    """A building as the registry last announced it (never read from the registry's tables)."""

    __tablename__ = "building"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    district_id: str = Field(max_length=32, index=True)
    gross_floor_area_m2: float
    registry_updated_at: datetime = Field(sa_type=UTCDateTime)
