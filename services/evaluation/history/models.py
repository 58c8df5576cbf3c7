"""Yearly tax totals of buildings for years before the feed started, imported by the
administrator (marked as imported; never monthly records)."""

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field

from services.evaluation.db import EvaluationTable
from shared import UTCDateTime, utcnow


class TaxHistory(EvaluationTable, table=True):
    """A building's tax over a year before the feed, as imported."""

    __tablename__ = "tax_history"

    building_id: str = Field(primary_key=True, max_length=64)
    year: int = Field(primary_key=True)
    tax_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    source: str = Field(max_length=200, description="The imported file's name.")
    imported_by: str = Field(max_length=100)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
