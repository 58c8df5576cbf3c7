"""The blue book's renditions: each publication's book rendered once per edition and format."""

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field

from services.evaluation.db import EvaluationTable
from shared import UTCDateTime, utcnow


class BookRendition(EvaluationTable, table=True):
    """A publication's blue book as rendered, and what it was rendered from (the preface and
    the renderer): served as it is while that stays the same. A publication is frozen, so its
    book only changes with its preface or with the code that lays it out."""

    __tablename__ = "bluebook_rendition"

    publication_id: int = Field(primary_key=True, foreign_key="publication.id")
    edition: str = Field(primary_key=True, max_length=8)
    format: str = Field(primary_key=True, max_length=8)
    source: str = Field(max_length=64, description="Digest of what it was rendered from.")
    etag: str = Field(max_length=64, description="Digest of the content.")
    content: bytes = Field(sa_type=LargeBinary)
    rendered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
