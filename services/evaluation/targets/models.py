"""Yearly targets per district, every version kept."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from services.evaluation.db import EvaluationTable
from shared import UTCDateTime, utcnow


class TargetVersion(EvaluationTable, table=True):
    """One version of a year's targets: who set them, when and why (三年行动计划每年动态调整)."""

    __tablename__ = "target_version"
    __table_args__ = (UniqueConstraint("year", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    version: int
    reason: str = Field(max_length=1000)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    current: bool = Field(default=True, description="The version in force for its year.")


class Target(EvaluationTable, table=True):
    """A district's target for one indicator in one version."""

    version_id: int = Field(foreign_key="target_version.id", primary_key=True)
    district_id: str = Field(primary_key=True, max_length=32)
    indicator: str = Field(primary_key=True, max_length=40)
    value: int
