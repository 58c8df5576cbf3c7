"""Builders for test data: valid payloads with sensible defaults, overridable field by field."""

from __future__ import annotations

import itertools
from typing import Any

from shared.validators import uscc_check_character

_counter = itertools.count(1)


def uscc(n: int | None = None) -> str:
    """A valid 统一社会信用代码 (check character computed), distinct for each n."""
    n = next(_counter) if n is None else n
    first17 = f"91320500{n:09d}"
    return first17 + uscc_check_character(first17)


def building(**overrides: Any) -> dict[str, Any]:
    """A building create payload."""
    payload: dict[str, Any] = {
        "name": "苏州国际金融中心",
        "district_id": "sip",
        "address": "苏州工业园区苏绣路1号",
        "gross_floor_area_m2": 100_000,
        "status": "operating",
    }
    payload.update(overrides)
    return payload


def movement(**overrides: Any) -> dict[str, Any]:
    """One enterprise movement record."""
    n = next(_counter)
    record: dict[str, Any] = {
        "record_id": f"mv-{n}",
        "uscc": uscc(n),
        "enterprise_name": f"企业{n}",
        "building_id": "b1",
        "kind": "move_in",
        "date": "2023-03-01",
    }
    record.update(overrides)
    return record


def movements(count: int, **overrides: Any) -> list[dict[str, Any]]:
    """`count` distinct movement records."""
    return [movement(**overrides) for _ in range(count)]
