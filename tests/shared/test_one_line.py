"""The 1亿 line is defined once for the whole platform (shared.types), never per service."""

from __future__ import annotations

import re
from pathlib import Path

from policy import LINE_100M_CENTS, TIER_LINES_CENTS
from services.evaluation.settings import EvaluationSettings
from services.monitoring.settings import MonitoringSettings

ROOT = Path(__file__).resolve().parents[2]
# 1亿 written out in CNY or in cents, with or without digit separators
ONE_HUNDRED_MILLION = re.compile(r"(?<![0-9_])1_?0{2}_?0{3}_?0{3}(?:_?0{2})?(?![0-9_])")


def test_the_line_is_strictly_above_one_hundred_million_yuan() -> None:
    assert LINE_100M_CENTS == 100_000_000 * 100 == TIER_LINES_CENTS["100m"]


def test_no_service_setting_can_move_it() -> None:
    for settings in (EvaluationSettings, MonitoringSettings):
        assert not [f for f in settings.model_fields if "line" in f or "tier" in f]


def test_no_other_module_writes_it_again() -> None:
    found = [
        str(path.relative_to(ROOT))
        for folder in ("services", "gateway", "shared", "launcher")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "shared" / "types.py" and ONE_HUNDRED_MILLION.search(path.read_text())
    ]
    assert found == []
