"""Stored feed records and dead letters."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field

from services.monitoring.db import MonitoringTable
from shared import UTCDateTime


class OccupancyRecord(MonitoringTable, table=True):
    """One occupancy report (出租率) of a building for a month."""

    __tablename__ = "occupancy_record"
    __table_args__ = (Index("ix_occupancy_record_building_period", "building_id", "period"),)

    record_id: str = Field(primary_key=True, max_length=100)
    building_id: str = Field(max_length=64)
    period: str = Field(max_length=7, description="YYYY-MM")
    leasable_area_m2: float
    occupied_area_m2: float
    enterprise_count: int
    reported_at: datetime = Field(sa_type=UTCDateTime)


class TaxRecord(MonitoringTable, table=True):
    """One tax record (税收). Enterprise-level amounts stay inside this table (税收保密)."""

    __tablename__ = "tax_record"
    # No index beyond the key: every figure is read from the rollups, never from raw records.

    record_id: str = Field(primary_key=True, max_length=100)
    building_id: str = Field(max_length=64)
    period: str = Field(max_length=7)
    uscc: str | None = Field(default=None, max_length=18)
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    reported_at: datetime = Field(sa_type=UTCDateTime)


class DeadLetter(MonitoringTable, table=True):
    """A message that could not be stored, kept with its original bytes for replay."""

    __tablename__ = "dead_letter"
    __table_args__ = (
        Index("ix_dead_letter_reason_replayed", "reason", "replayed_at"),
        # A redelivered poison message is set aside once (the digest tells a new message at a
        # reused offset, after the bundled broker restarted, from a redelivery).
        UniqueConstraint("topic", "partition", "offset", "digest"),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=200)
    partition: int
    offset: int = Field(sa_column=Column(BigInteger, nullable=False))
    key: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    value: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    digest: str = Field(max_length=64, description="SHA-256 of the value.")
    reason: str = Field(max_length=32)
    detail: str = Field(max_length=1000)
    received_at: datetime = Field(sa_type=UTCDateTime)
    replayed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=1)
