"""The demonstration city's state: one row while the platform holds it."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from services.registry.db import RegistryTable
from shared import UTCDateTime


class DemoState(RegistryTable, table=True):
    """Set by `sbe demo` when it begins (the platform holds demonstration data from then on) and
    again when it is done, with what it found comparing what it sent to what the platform shows."""

    __tablename__ = "demo_state"

    id: int = Field(default=1, primary_key=True)
    seed: int
    scale: float
    started_at: datetime = Field(sa_type=UTCDateTime)
    loaded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reconciliation: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True), description="JSON."
    )
