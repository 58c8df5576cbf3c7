"""Reference data from the plan (苏府办〔2023〕48号) and GB/T 4754-2017, bundled with the code.

The files beside this module are the project's own copies; nothing reads outside the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# Statistical area codes are attributes, never keys (seed README). SIP's 320571 is the code of
# a functional zone; USCC positions 3–8 must never be used to place an enterprise.
AREA_CODES = {
    "zhangjiagang": "320582",
    "changshu": "320581",
    "taicang": "320585",
    "kunshan": "320583",
    "wujiang": "320509",
    "wuzhong": "320506",
    "xiangcheng": "320507",
    "gusu": "320508",
    "sip": "320571",
    "huqiu": "320505",
}

TARGET_INDICATORS = (
    "new_100m_buildings",
    "cumulative_100m_buildings",
    "new_featured_buildings",
    "stock_renovations",
    "promotion_events",
)


@dataclass(frozen=True, slots=True)
class DistrictRef:
    """One of the ten districts (县级市、区), in the plan's order."""

    district_id: str
    name_zh: str
    name_en: str
    area_code: str
    office_buildings_over_10k_m2_2022: int


@dataclass(frozen=True, slots=True)
class IndustryRef:
    """One line of GB/T 4754-2017: a section, division, group or class."""

    code: str
    level: int
    section: str
    division: str
    group: str
    klass: str
    name_zh: str


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
def districts() -> tuple[DistrictRef, ...]:
    """The ten districts, in the order of Annex 1."""
    return tuple(
        DistrictRef(
            district_id=row["district_id"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            area_code=AREA_CODES[row["district_id"]],
            office_buildings_over_10k_m2_2022=int(row["office_buildings_over_10k_m2_2022"]),
        )
        for row in _rows("district_targets_2023.csv")
    )


@cache
def district_ids() -> tuple[str, ...]:
    """The ten district ids, in the contract's order."""
    return tuple(d.district_id for d in districts())


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


@cache
def industries() -> dict[str, IndustryRef]:
    """GB/T 4754-2017 by code: 20 sections, 97 divisions, the groups and 1,380 classes."""
    return {
        row["code"]: IndustryRef(
            code=row["code"],
            level=int(row["level"]),
            section=row["section"],
            division=row["division"],
            group=row["group"],
            klass=row["class"],
            name_zh=row["name_zh"],
        )
        for row in _rows("gbt4754_2017_industries.csv")
    }
