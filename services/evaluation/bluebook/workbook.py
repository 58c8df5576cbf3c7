"""The blue book as an XLSX workbook, one sheet per section, from a publication's frozen
content: the same figures as the HTML book, as numbers a spreadsheet can add up."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TypeVar

from openpyxl import Workbook
from openpyxl.styles import Font

from policy import TARGET_INDICATOR_NAMES_ZH
from services.evaluation.bluebook.schemas import BlueBook
from services.evaluation.bluebook.service import amount_wan, amount_yi, growth
from services.evaluation.bluebook.wording import (
    DEMO_NOTICE,
    TIER_ZH,
    pending_text,
    previous,
    same_months,
)
from services.evaluation.scoring.formula import TARGET_INDICATORS
from shared import safe_row

T = TypeVar("T")


def _city_then_districts(
    city: Sequence[T],
    by_district: dict[str, list[T]],
    names: dict[str, str],
    cells: Callable[[T], list[object]],
) -> list[list[object]]:
    """Rows of a city-wide list, then each district's, the scope in the first column."""
    return [["全市", *cells(item)] for item in city] + [
        [names.get(d, d), *cells(item)] for d, items in by_district.items() for item in items
    ]


def xlsx(book: BlueBook, demo: bool = False) -> bytes:
    """The same figures as a workbook, one sheet per section."""
    full = book.edition == "full"
    o = book.overview
    names = {d.district_id: d.name for d in book.districts}
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        (
            "全市概况",
            ["指标", "数值"],
            [
                ["监测楼宇（栋）", o.buildings],
                ["建筑面积（平方米）", o.gross_floor_area_m2],
                ["全口径税收（万元）", float(amount_wan(o.tax_cents).replace(",", ""))],
                [
                    f"{previous(o)}税收（万元）{same_months(o)}",
                    float(amount_wan(o.tax_prev_cents).replace(",", "")),
                ],
                [f"同比{same_months(o)}", growth(o.tax_cents, o.tax_prev_cents)],
                ["亿元楼宇（栋）", o.over_counts.get("100m", 0)],
                ["5亿元楼宇（栋）", o.over_counts.get("500m", 0)],
                ["10亿元楼宇（栋）", o.over_counts.get("1b", 0)],
                ["出租率（最近月份）", o.occupancy_rate],
            ],
        ),
        (
            "目标完成",
            ["地区"]
            + [f"{TARGET_INDICATOR_NAMES_ZH[k]}（完成）" for k in TARGET_INDICATORS]
            + [f"{TARGET_INDICATOR_NAMES_ZH[k]}（目标）" for k in TARGET_INDICATORS]
            + ["考核得分", "排名"]
            + (["待审核"] if full else []),
            [
                [
                    line.name,
                    *[line.actuals.get(k) for k in TARGET_INDICATORS],
                    *[line.targets.get(k, 0) for k in TARGET_INDICATORS],
                    line.total,
                    line.rank,
                    *([pending_text(line.pending)] if full else []),
                ]
                for line in book.districts
            ],
        ),
        (
            "各地区运行",
            [
                "地区",
                f"税收（万元）{same_months(o)}",
                f"{previous(o)}（万元）",
                "同比",
                "出租率",
                "超1亿元",
                "超5亿元",
                "超10亿元",
            ],
            [
                [
                    line.name,
                    float(amount_wan(line.tax_cents).replace(",", "")),
                    float(amount_wan(line.tax_prev_cents).replace(",", "")),
                    growth(line.tax_cents, line.tax_prev_cents),
                    line.occupancy_rate,
                    *[line.over_counts.get(t, 0) for t in TIER_ZH],
                ]
                for line in book.districts
            ],
        ),
        (
            "亿元楼宇梯队",
            ["梯队", "地区", "楼宇编号", "楼宇", *(["税收（亿元）"] if full else [])],
            [
                [f"超{TIER_ZH[tier]}", b.district, b.building_id, b.name]
                + ([float(amount_yi(b.tax_cents or 0).replace(",", ""))] if full else [])
                for tier, buildings in book.tiers.items()
                for b in buildings
            ],
        ),
        (
            "产业特色楼宇",
            ["地区", "楼宇", "特色产业", "认定日期"],
            [
                [f.district, f.building, f.industry, f.designated_on.isoformat()]
                for f in book.featured
            ],
        ),
        (
            "产业结构",
            ["范围", "门类", "名称", "企业数", "租用面积（平方米）"],
            _city_then_districts(
                book.industries,
                book.district_industries,
                names,
                lambda i: [i.code, i.name_zh, i.enterprises, i.area_m2],
            ),
        ),
        (
            "企业迁入迁出",
            ["范围", "月份", "迁入", "迁出", "净迁入"],
            _city_then_districts(
                book.flows,
                book.district_flows,
                names,
                lambda f: [f.period, f.move_in, f.move_out, f.net],
            ),
        ),
        (
            "月度走势",
            ["月份", "税收（万元）", "出租率"],
            [
                [m, round(t / 10**6, 2) if t is not None else None, r]
                for m, t, r in zip(
                    book.months, book.monthly_tax_cents, book.monthly_occupancy, strict=True
                )
            ],
        ),
        (
            "活动",
            ["日期", "类型", "主办", *(["名称"] if full else [])],
            [
                [e.day.isoformat(), e.kind, e.organiser, *([e.title] if full else [])]
                for e in book.events
            ],
        ),
        (
            "楼宇覆盖",
            ["地区", "附件1（2022年万㎡以上商务楼宇）", "已登记", "规划、在建", "覆盖率"],
            [
                [c.name, c.annex_1_count, c.registered, c.registered_in_pipeline, c.share]
                for c in book.coverage
            ],
        ),
        (
            "重点任务",
            ["编号", "任务", "完成时限", "进展", "逾期"],
            [
                [
                    t.task_id,
                    t.task,
                    t.deadline.isoformat() if t.deadline else "持续推进",
                    t.status,
                    "是" if t.overdue else "否",
                ]
                for t in book.tasks
            ],
        ),
    ]
    if demo:
        sheets.insert(0, ("演示数据", ["说明"], [[DEMO_NOTICE]]))
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
