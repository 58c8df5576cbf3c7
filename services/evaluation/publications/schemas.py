"""Request and response models for publications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from services.evaluation.scoring.formula import DEFAULT
from services.evaluation.scoring.schemas import SCHEME_ID_PATTERN, SchemeDefinition, ScoreBoard
from shared import RequestModel


class PublicationCreate(RequestModel):
    """Publish a year's assessment."""

    year: int = Field(ge=2000, le=2100, description="Calendar year.")
    scheme: Annotated[str, StringConstraints(pattern=SCHEME_ID_PATTERN)] = Field(
        default=DEFAULT.id, description="Scoring scheme."
    )


class PublicationSummary(SQLModel):
    """A publication, without its figures."""

    id: int = Field(description="Publication id.")
    year: int = Field(description="Calendar year.")
    scheme: str = Field(description="Scoring scheme.")
    targets_version: int = Field(description="Version of the targets used.")
    inputs_digest: str = Field(description="SHA-256 of every input the figures came from.")
    published_by: str = Field(description="Who published it.")
    published_at: datetime = Field(description="When.")
    has_preface: bool = Field(
        default=False, description="Whether the administrator wrote its blue book a preface."
    )


class PublicationPublic(PublicationSummary):
    """A publication with its frozen figures."""

    scheme_definition: SchemeDefinition = Field(description="The scheme as it was.")
    scores: ScoreBoard = Field(description="The scores as published.")


class IndicatorChange(SQLModel):
    key: str = Field(description="Indicator.")
    published: float | None = Field(description="Actual as published.")
    current: float | None = Field(description="Actual today.")


class DistrictChange(SQLModel):
    district_id: str = Field(description="District.")
    published_total: float = Field(description="Total as published.")
    current_total: float = Field(description="Total today.")
    published_rank: int = Field(description="Rank as published.")
    current_rank: int = Field(description="Rank today.")
    indicators: list[IndicatorChange] = Field(description="Indicators whose actual moved.")


class PublicationDiff(SQLModel):
    """A publication against today's figures (the publication itself never changes)."""

    publication_id: int = Field(description="Publication.")
    year: int = Field(description="Calendar year.")
    inputs_changed: bool = Field(description="Today's inputs differ from the published ones.")
    current_digest: str = Field(description="Digest of today's inputs.")
    districts: list[DistrictChange] = Field(description="Districts whose figures moved.")


class PrefaceWrite(RequestModel):
    """The blue book's preface (序言), in Markdown; raw HTML and images are not rendered."""

    markdown: str = Field(min_length=1, max_length=20_000, description="The preface (Markdown).")


class PrefacePublic(SQLModel):
    publication_id: int = Field(description="Publication.")
    markdown: str = Field(description="The preface (Markdown).")
    updated_by: str = Field(description="Who wrote it last.")
    updated_at: datetime = Field(description="When.")
