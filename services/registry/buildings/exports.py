"""名录 exports for spreadsheet users: CSV with a BOM (Excel reads the Chinese right) and XLSX."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from services.registry.buildings.schemas import BuildingPublic, BuildingStatus, ListKey
from shared import FEATURED_INDUSTRY_ZH, SHANGHAI, csv_bytes, safe_row

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"

LIST_NAMES_ZH = {
    ListKey.key: "重点楼宇名录",
    ListKey.new_project: "新建楼宇项目名录",
    ListKey.renovation: "存量楼宇改造提升名录",
}
STATUS_ZH = {
    BuildingStatus.planned: "规划中",
    BuildingStatus.under_construction: "在建",
    BuildingStatus.operating: "运营中",
    BuildingStatus.renovating: "改造提升中",
}
HEADERS_ZH = (
    "序号",
    "楼宇编号",
    "楼宇名称",
    "所属地区",
    "行政区划代码",
    "地址",
    "建筑面积（平方米）",
    "状态",
    "产业特色",
    "登记时间",
)


# While the platform holds the demonstration city, every row of an export says so.
DEMO_HEADER, DEMO_MARK = "数据性质", "演示数据（非真实数据）"


def headers(demo: bool) -> tuple[str, ...]:
    return (*HEADERS_ZH, DEMO_HEADER) if demo else HEADERS_ZH


def rows(
    buildings: Sequence[BuildingPublic], districts: dict[str, tuple[str, str]], demo: bool
) -> list[list[object]]:
    """One row per building under the Chinese headers; `districts` maps id → (name, area code)."""
    table: list[list[object]] = []
    for number, b in enumerate(buildings, start=1):
        name_zh, area_code = districts.get(b.district_id, (b.district_id, ""))
        table.append(
            [
                number,
                b.id,
                b.name,
                name_zh,
                area_code,
                b.address,
                b.gross_floor_area_m2,
                STATUS_ZH[b.status],
                "、".join(FEATURED_INDUSTRY_ZH[i] for i in b.featured_industries),
                b.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d"),
                *([DEMO_MARK] if demo else []),
            ]
        )
    return table


def to_csv(table: list[list[object]], demo: bool) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Chinese text correctly; no live formulas."""
    return csv_bytes(headers(demo), table)


def to_xlsx(list_key: ListKey, table: list[list[object]], demo: bool) -> bytes:
    """A one-sheet workbook named after the 名录, headers in bold, columns sized to fit."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = LIST_NAMES_ZH[list_key] + ("（演示数据）" if demo else "")
    sheet.append(list(headers(demo)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(safe_row(row))
    sheet.freeze_panes = "A2"
    widths = [6, 34, 30, 14, 12, 40, 16, 10, 20, 12, 22]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
