"""Reference data every service needs, bundled with the code: the ten districts (with Annex 1's
2022 count of office buildings over 10,000 m², from the plan 苏府办〔2023〕48号), the municipal
units of Annex 2, and GB/T 4754-2017.
The evaluation's own seed data (Annex 1's targets, Annex 2's tasks) lives in the evaluation.

The files beside this module are the project's own copies; nothing reads outside the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# The plan's four yearly target indicators per district (Annex 1) and the count of promotion
# events, in Chinese: the evaluation scores them, monitoring warns when a district falls behind.
TARGET_INDICATOR_NAMES_ZH = {
    "new_100m_buildings": "新增亿元楼宇",
    "cumulative_100m_buildings": "累计亿元楼宇",
    "new_featured_buildings": "新增产业特色楼宇",
    "stock_renovations": "存量楼宇改造提升",
    "promotion_events": "招商推介活动",
}

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
        for row in _rows("districts.csv")
    )


@cache
def district_ids() -> tuple[str, ...]:
    """The ten district ids, in the contract's order."""
    return tuple(d.district_id for d in districts())


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


@cache
def municipal_units() -> tuple[str, ...]:
    """The municipal units (市级部门) Annex 2 makes responsible for key tasks, besides the district
    governments: the units a bureau account or key can be bound to."""
    return tuple(row["unit"] for row in _rows("municipal_units.csv"))
