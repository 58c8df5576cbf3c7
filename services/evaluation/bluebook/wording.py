"""How the blue book words its figures, the same in the HTML book and in the workbook."""

from __future__ import annotations

from policy import TARGET_INDICATOR_NAMES_ZH
from services.evaluation.bluebook.schemas import BlueBook, Overview
from services.evaluation.bluebook.service import growth

TIER_ZH = {"100m": "1亿元", "500m": "5亿元", "1b": "10亿元"}
# While the platform holds the demonstration city, the book says so (HTML, PDF and workbook).
DEMO_NOTICE = "演示数据：本蓝皮书由演示城市的数据生成，不反映苏州市的真实情况。"
EDITION_ZH = {"full": "完整版（仅供市发改委、督查室使用）", "public": "公开版"}


def title(book: BlueBook) -> str:
    return f"{book.year}年苏州楼宇经济高质量发展蓝皮书"


def pending_text(pending: dict[str, int]) -> str:
    """Inputs awaiting review, in words: 推介活动2、改造1."""
    return (
        "、".join(f"{TARGET_INDICATOR_NAMES_ZH[k]}{n}" for k, n in sorted(pending.items()) if n)
        or "—"
    )


def percent(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def growth_text(now: int, before: int) -> str:
    change = growth(now, before)
    return f"{change:+.1%}" if change is not None else "—"


def count_text(value: float | None) -> str:
    return f"{value:g}" if value is not None else "—"


def same_months(overview: Overview) -> str:
    """What a 同比 column says it compares: nothing to add for a whole year, the months else."""
    return "" if overview.compared == "全年" else f"（{overview.compared}）"


def previous(overview: Overview) -> str:
    """The previous year's column: the whole year, or its same months (上年同期)."""
    return "上年" if overview.compared == "全年" else "上年同期"
