"""Request and response models for key tasks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from policy import ReviewPublic
from shared import Line, Paragraphs, RequestModel

Unit = Annotated[Line, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class TaskStatus(StrEnum):
    not_started = "not_started"  # 未启动
    in_progress = "in_progress"  # 推进中
    done = "done"  # 已完成


class ReportCreate(RequestModel):
    """Progress on a task, with its evidence."""

    status: TaskStatus = Field(description="not_started, in_progress or done.")
    evidence: Paragraphs = Field(min_length=1, max_length=4000, description="What was done (佐证).")
    reported_on: dt.date = Field(description="Date of the progress reported.")
    unit: Line | None = Field(
        default=None,
        max_length=100,
        description="Reporting unit (administrator only; a district "
        "key reports for its own government).",
    )


class ReportPublic(SQLModel):
    id: int = Field(description="Report id.")
    unit: str = Field(description="Reporting unit.")
    status: TaskStatus = Field(description="Status reported.")
    evidence: str = Field(description="Evidence.")
    reported_on: dt.date = Field(description="Date of the progress.")
    reported_by: str = Field(description="Key that reported it.")
    created_at: dt.datetime = Field(description="When it was recorded.")
    review: ReviewPublic = Field(
        description="Its review: a unit's status follows its latest verified report."
    )


class UnitProgress(SQLModel):
    """Where one responsible unit stands on a task: its own latest report decides it."""

    unit: str = Field(description="Responsible unit (责任单位).")
    status: TaskStatus = Field(description="The status of this unit's latest verified report.")
    latest_report: ReportPublic | None = Field(description="This unit's latest verified report.")
    pending_report: ReportPublic | None = Field(
        default=None, description="This unit's latest report awaiting review, if newer."
    )


TASK_ID_PATTERN = r"^(20[0-9]{2}-)?[0-9]{1,2}\.[0-9]{1,2}$"


class TaskCreate(RequestModel):
    """A key task added to a year's list (the plan asks for 每年动态调整)."""

    task_id: Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)] = Field(
        description="Number, e.g. 2024-2.1 (a year's own tasks carry the year)."
    )
    year: int = Field(ge=2023, le=2100, description="The year whose list it is on.")
    work_area_no: int = Field(ge=1, le=9, description="Work area number.")
    work_area: Line = Field(min_length=1, max_length=100, description="Work area name.")
    task: Paragraphs = Field(min_length=1, max_length=2000, description="The task.")
    deadline: dt.date | None = Field(default=None, description="Deadline; none for ongoing.")
    responsible_units: list[Unit] = Field(
        min_length=1, max_length=30, description="Responsible units (责任单位)."
    )
    reason: Line = Field(min_length=1, max_length=500, description="Why it is added.")


class TaskUpdate(RequestModel):
    """Changes to a task (fields left out stay); the reason is kept in its history."""

    work_area: Line | None = Field(default=None, min_length=1, max_length=100)
    task: Paragraphs | None = Field(default=None, min_length=1, max_length=2000)
    deadline: dt.date | None = Field(default=None, description="New deadline (null: ongoing).")
    responsible_units: list[Unit] | None = Field(default=None, min_length=1, max_length=30)
    reason: Line = Field(min_length=1, max_length=500, description="Why it changes.")


class TaskChangePublic(SQLModel):
    """One change to a task."""

    action: str = Field(description="added or changed.")
    before: dict[str, object] | None = Field(description="The task before (null when added).")
    after: dict[str, object] = Field(description="The task after.")
    reason: str = Field(description="Why.")
    by: str = Field(description="Who.")
    at: dt.datetime = Field(description="When.")


class TaskPublic(SQLModel):
    """A key task and where it stands: done only when every responsible unit is done."""

    task_id: str = Field(description="Task number, e.g. 2.1.")
    year: int = Field(default=2023, description="The year whose list it is on.")
    work_area_no: int = Field(description="Work area (1–5).")
    work_area: str = Field(description="Work area name.")
    task: str = Field(description="The task.")
    deadline: dt.date | None = Field(description="Deadline; null for ongoing tasks (持续推进).")
    responsible_units: list[str] = Field(description="Responsible units (责任单位).")
    status: TaskStatus = Field(
        description="done when every unit's latest verified report is done; not_started while "
        "no unit has a verified report; in_progress otherwise."
    )
    overdue: bool = Field(description="Past its deadline and not done.")
    latest_report: ReportPublic | None = Field(
        description="The latest report the caller may see (a district: its own unit's)."
    )
    units: list[UnitProgress] = Field(
        description="Each responsible unit's standing (a district sees its own unit only)."
    )


class TaskDetail(TaskPublic):
    reports: list[ReportPublic] = Field(description="Every report, newest first.")
