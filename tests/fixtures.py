"""Builders for test data: valid payloads with sensible defaults, overridable field by field."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from policy import uscc_check_character

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


def tax(building_id: str, period: str, amount: str, **overrides: Any) -> dict[str, Any]:
    """A `sbe.tax.v1` message."""
    message = {
        "record_id": f"t-{uuid.uuid4().hex}",
        "building_id": building_id,
        "period": period,
        "amount_cny": amount,
        "reported_at": "2024-01-15T10:00:00+08:00",
    }
    message.update(overrides)
    return message


def occupancy(
    building_id: str, period: str, leasable: float, occupied: float, **overrides: Any
) -> dict[str, Any]:
    """A `sbe.occupancy.v1` message."""
    message = {
        "record_id": f"o-{uuid.uuid4().hex}",
        "building_id": building_id,
        "period": period,
        "leasable_area_m2": leasable,
        "occupied_area_m2": occupied,
        "enterprise_count": 12,
        "reported_at": "2024-01-15T10:00:00+08:00",
    }
    message.update(overrides)
    return message
