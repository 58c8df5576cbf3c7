"""The evaluation's own copies of what the other services publish (never their tables)."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field

from policy import BuildingCopyBase, BuildingYearCopyBase
from services.evaluation.db import EvaluationTable
from shared import UTCDateTime


class BuildingCopy(EvaluationTable, BuildingCopyBase, table=True):
    """A building as the registry last announced it."""

    __tablename__ = "building"


class DesignationCopy(EvaluationTable, table=True):
    """A featured-industry designation of a building."""

    __tablename__ = "designation"

    building_id: str = Field(primary_key=True, max_length=64)
    industry: str = Field(primary_key=True, max_length=32)
    designated_on: date = Field(index=True)


class RenovationCopy(EvaluationTable, table=True):
    """A renovation of a stock building."""

    __tablename__ = "renovation"

    id: str = Field(primary_key=True, max_length=64)
    building_id: str = Field(max_length=64, index=True)
    started_on: date
    completed_on: date | None = Field(default=None, index=True)
    review_state: str | None = Field(default=None, max_length=16, description="Its review.")


class MovementCopy(EvaluationTable, table=True):
    """An enterprise movement (for net move-in)."""

    __tablename__ = "movement"
    __table_args__ = (Index("ix_movement_building_date", "building_id", "date"),)

    district_id: str = Field(primary_key=True, max_length=32)
    record_id: str = Field(primary_key=True, max_length=100)
    building_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    date: date
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    withdrawn: bool = Field(default=False, description="Withdrawn by its district: not counted.")


class EventCopy(EvaluationTable, table=True):
    """An event as the events service last announced it."""

    __tablename__ = "event"

    id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=16)
    scope: str = Field(max_length=16)
    district_id: str | None = Field(default=None, max_length=32)
    title: str = Field(max_length=200)
    status: str = Field(max_length=16)
    review_state: str | None = Field(default=None, max_length=16, description="Its review.")
    voided: bool = Field(default=False, description="Voided by an administrator.")
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class BuildingYearCopy(EvaluationTable, BuildingYearCopyBase, table=True):
    """A building's year as monitoring figures it, with its months (for trends)."""

    __tablename__ = "building_year"

    months: str = Field(sa_column=Column(Text, nullable=False), description="JSON of the months.")


class CopiesGeneration(EvaluationTable, table=True):
    """How many times the copies the district sums are taken from (buildings, building-years,
    imported tax) have changed: one row, raised in the transaction of every such change, so a
    stored sum is current exactly while the generation it was taken at is."""

    __tablename__ = "copies_generation"

    id: int = Field(default=1, primary_key=True)
    generation: int = Field(sa_column=Column(BigInteger, nullable=False))
