"""Scoring schemes are data: an administrator adds one, none is ever changed."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from services.evaluation.db import EvaluationTable
from shared import UTCDateTime, utcnow


class ScoringScheme(EvaluationTable, table=True):
    """A scheme's definition (weights, cap, indicators, aggregation) as JSON."""

    __tablename__ = "scoring_scheme"

    id: str = Field(primary_key=True, max_length=64)
    definition: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
