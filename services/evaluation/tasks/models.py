"""The plan's key tasks (Annex 2) and the progress reported on them."""

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field

from policy import ReviewColumns
from services.evaluation.db import EvaluationTable
from shared import UTCDateTime, utcnow


class KeyTask(EvaluationTable, table=True):
    """A key task of Annex 2."""

    __tablename__ = "key_task"

    task_id: str = Field(primary_key=True, max_length=16)
    year: int = Field(default=2023, sa_column_kwargs={"server_default": "2023"}, index=True)
    work_area_no: int
    work_area: str = Field(max_length=100)
    task: str = Field(sa_column=Column(Text, nullable=False))
    deadline: date | None = Field(default=None, description="None: ongoing (持续推进).")
    responsible_units: str = Field(sa_column=Column(Text, nullable=False), description="JSON list.")


class TaskReport(EvaluationTable, ReviewColumns, table=True):
    """Progress a responsible unit reported, with its evidence. A district's or a bureau's report
    is reviewed (`ReviewColumns`): a unit's status follows its latest verified report."""

    __tablename__ = "task_report"

    id: int | None = Field(default=None, primary_key=True)
    task_id: str = Field(foreign_key="key_task.task_id", index=True, max_length=16)
    unit: str = Field(max_length=100)
    status: str = Field(max_length=16)
    evidence: str = Field(sa_column=Column(Text, nullable=False))
    reported_on: date
    reported_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TaskChange(EvaluationTable, table=True):
    """An administrator's change to the year's tasks (每年动态调整): what it was, what it became."""

    __tablename__ = "task_change"

    id: int | None = Field(default=None, primary_key=True)
    task_id: str = Field(max_length=16, index=True)
    action: str = Field(max_length=16, description="added or changed.")
    before: str | None = Field(default=None, sa_column=Column(Text), description="JSON.")
    after: str = Field(sa_column=Column(Text, nullable=False), description="JSON.")
    reason: str = Field(max_length=500)
    by: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
