"""Published assessments: immutable snapshots."""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from services.evaluation.db import EvaluationTable
from shared import UTCDateTime, utcnow


class Publication(EvaluationTable, table=True):
    """A year's assessment as published: scheme, target version, a digest of the inputs and
    every figure. Never updated; later corrections show up as a difference, not a change."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    scheme_id: str = Field(max_length=64)
    targets_version: int
    inputs_digest: str = Field(max_length=64)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    published_by: str = Field(max_length=100)
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PublicationPreface(EvaluationTable, table=True):
    """The preface the administrator writes for a publication's blue book (Markdown). Words,
    not figures: it may be revised after publishing without touching what was published."""

    __tablename__ = "publication_preface"

    publication_id: int = Field(primary_key=True, foreign_key="publication.id")
    markdown: str = Field(sa_column=Column(Text, nullable=False))
    updated_by: str = Field(max_length=100)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
