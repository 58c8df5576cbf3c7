"""Rollups kept current as records arrive, so no figure needs a scan of raw records."""

from datetime import datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field

from services.monitoring.db import MonitoringTable
from shared import UTCDateTime

_ZERO = {"server_default": "0"}  # rows made by occupancy-only upserts start with no tax


class BuildingMonth(MonitoringTable, table=True):
    """A building's month: its latest occupancy report and the sum of its tax records."""

    __tablename__ = "building_month"
    # A year's months across every building (its latest month with data, the same months of the
    # year before for a like-for-like 同比), read from the index alone.
    __table_args__ = (Index("ix_building_month_period", "period", "building_id", "tax_cents"),)

    building_id: str = Field(primary_key=True, max_length=64)
    period: str = Field(primary_key=True, max_length=7)
    leasable_area_m2: float | None = None
    occupied_area_m2: float | None = None
    enterprise_count: int | None = None
    occupancy_reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    tax_cents: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs=_ZERO)
    tax_records: int = Field(default=0, sa_column_kwargs=_ZERO)


class BuildingYear(MonitoringTable, table=True):
    """A building's year: its tax (kept by the ingest as records arrive; 亿元楼宇 tiers are read
    from here) and its latest month with an occupancy report (kept by the figures worker), so
    district and city figures read one row per building, never its months."""

    __tablename__ = "building_year"
    __table_args__ = (Index("ix_building_year_year_tax", "year", "tax_cents"),)

    building_id: str = Field(primary_key=True, max_length=64)
    year: int = Field(primary_key=True)
    tax_cents: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs=_ZERO)
    occupancy_period: str | None = Field(default=None, max_length=7)
    leasable_area_m2: float | None = None
    occupied_area_m2: float | None = None


class DistrictMonth(MonitoringTable, table=True):
    """A district's month: its buildings' months summed (occupancy over those that reported it).

    Kept by the figures worker, which sums a month again whenever one of its building-months
    changed or a building moved district, so the city's and the districts' series read ten rows
    a month instead of every building's."""

    __tablename__ = "district_month"

    district_id: str = Field(primary_key=True, max_length=32)
    period: str = Field(primary_key=True, max_length=7)
    tax_cents: int = Field(default=0, sa_type=BigInteger)
    tax_records: int = 0
    leasable_area_m2: float | None = None
    occupied_area_m2: float | None = None
    enterprise_count: int | None = None


class EnterpriseBuildingYear(MonitoringTable, table=True):
    """An enterprise's tax in one building over a year: only for large-taxpayer warnings."""

    __tablename__ = "enterprise_building_year"

    building_id: str = Field(primary_key=True, max_length=64)
    uscc: str = Field(primary_key=True, max_length=18)
    year: int = Field(primary_key=True)
    tax_cents: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs=_ZERO)


class FigureChange(MonitoringTable, table=True):
    """A building-month whose figures changed and are not yet republished or checked for warnings.

    The worker handles a mark once the month has been quiet for a moment (`changed_at`, the
    latest change), or once it has waited too long (`first_changed_at`): a burst of batches
    touching one month is handled once, and figures never lag more than a bounded time. `seq`
    grows with every change, so the worker removes a mark only if nothing changed the month
    again after it read it.
    """

    __tablename__ = "figure_change"

    building_id: str = Field(primary_key=True, max_length=64)
    period: str = Field(primary_key=True, max_length=7)
    seq: int = Field(default=1)
    changed_at: datetime = Field(sa_type=UTCDateTime)
    first_changed_at: datetime = Field(sa_type=UTCDateTime)
