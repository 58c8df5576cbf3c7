"""The evaluation's seed data from the plan (苏府办〔2023〕48号), bundled with the code: Annex 1's
2023 targets per district and Annex 2's key tasks. The districts themselves are shared
(`policy.reference`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from services.evaluation.scoring.formula import TARGET_INDICATORS


@dataclass(frozen=True, slots=True)
class KeyTaskRef:
    """One key task of Annex 2."""

    task_id: str
    work_area_no: int
    work_area: str
    task: str
    deadline: str  # an ISO date, or "ongoing" (持续推进)
    responsible_units: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    text = files(__package__).joinpath(name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


@cache
def targets_2023() -> dict[str, dict[str, int]]:
    """Annex 1: district id → indicator → 2023 target."""
    return {
        row["district_id"]: {key: int(row[key]) for key in TARGET_INDICATORS}
        for row in _rows("district_targets_2023.csv")
    }


@cache
def key_tasks_2023() -> tuple[KeyTaskRef, ...]:
    """Annex 2: the key tasks of the five work areas."""
    return tuple(
        KeyTaskRef(
            task_id=row["task_id"],
            work_area_no=int(row["work_area_no"]),
            work_area=row["work_area"],
            task=row["task"],
            deadline=row["deadline"],
            responsible_units=tuple(u for u in row["responsible_units"].split(";") if u),
        )
        for row in _rows("key_tasks_2023.csv")
    )
