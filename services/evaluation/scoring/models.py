"""Scoring schemes are data: an administrator adds one, none is ever changed. The district
figures of a year are kept between scorings until the copies beneath them change."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, Text
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


class DistrictSums(EvaluationTable, table=True):
    """A year's district figures (`repository.DistrictFigures` of each district, as JSON), with
    the copies' generation they were taken at: reused while that generation is the current one,
    taken again after."""

    __tablename__ = "district_sums"

    year: int = Field(primary_key=True)
    generation: int = Field(sa_column=Column(BigInteger, nullable=False))
    sums: str = Field(sa_column=Column(Text, nullable=False))
