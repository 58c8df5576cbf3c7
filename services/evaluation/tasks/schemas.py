"""Request and response models for key tasks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlmodel import Field, SQLModel

from shared import Line, Paragraphs, RequestModel
from shared.review import ReviewPublic


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


class TaskPublic(SQLModel):
    """A key task and where it stands: done only when every responsible unit is done."""

    task_id: str = Field(description="Task number, e.g. 2.1.")
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
