"""名录 exports for spreadsheet users: CSV with a BOM (Excel reads the Chinese right) and XLSX."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from policy import FEATURED_INDUSTRY_ZH
from services.registry.buildings.schemas import (
    BuildingBase,
    BuildingPublic,
    BuildingStatus,
    ListKey,
)
from shared import SHANGHAI, csv_bytes, safe_row

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
Districts = dict[str, tuple[str, str]]  # district id → (Chinese name, area code)


@dataclass(frozen=True)
class Column:
    """One column of the export: its header, its width in the workbook, and its cell."""

    header: str
    width: int
    cell: Callable[[BuildingPublic, Districts], object]


def _district(b: BuildingPublic, districts: Districts) -> tuple[str, str]:
    return districts.get(b.district_id, (b.district_id, ""))


# The columns of each field a building is made of (BuildingBase): the export follows the model's
# order, and a field added there without its columns here stops the registry at import.
FIELD_COLUMNS: dict[str, tuple[Column, ...]] = {
    "name": (Column("楼宇名称", 30, lambda b, _: b.name),),
    "district_id": (
        Column("所属地区", 14, lambda b, d: _district(b, d)[0]),
        Column("行政区划代码", 12, lambda b, d: _district(b, d)[1]),
    ),
    "address": (Column("地址", 40, lambda b, _: b.address),),
    "gross_floor_area_m2": (Column("建筑面积（平方米）", 16, lambda b, _: b.gross_floor_area_m2),),
    "status": (Column("状态", 10, lambda b, _: STATUS_ZH[b.status]),),
    "location": (
        Column("经度", 12, lambda b, _: b.location.lng if b.location else None),
        Column("纬度", 12, lambda b, _: b.location.lat if b.location else None),
    ),
}
_unexported = set(BuildingBase.model_fields) - FIELD_COLUMNS.keys()
if _unexported:
    raise RuntimeError(f"The 名录 export has no column for {sorted(_unexported)}.")

COLUMNS: tuple[Column, ...] = (
    Column("楼宇编号", 34, lambda b, _: b.id),
    *(column for field in BuildingBase.model_fields for column in FIELD_COLUMNS[field]),
    Column(
        "产业特色",
        20,
        lambda b, _: "、".join(FEATURED_INDUSTRY_ZH[i] for i in b.featured_industries),
    ),
    Column("登记时间", 12, lambda b, _: b.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d")),
)
NUMBER_HEADER, NUMBER_WIDTH = "序号", 6  # each row's number, from 1, before the columns
# While the platform holds the demonstration city, every row of an export says so.
DEMO = Column("数据性质", 22, lambda b, _: "演示数据（非真实数据）")


def columns(demo: bool) -> tuple[Column, ...]:
    return (*COLUMNS, DEMO) if demo else COLUMNS


def headers(demo: bool) -> tuple[str, ...]:
    return (NUMBER_HEADER, *(column.header for column in columns(demo)))


def rows(
    buildings: Sequence[BuildingPublic], districts: Districts, demo: bool
) -> list[list[object]]:
    """One row per building under the Chinese headers, numbered from 1."""
    return [
        [number, *(column.cell(b, districts) for column in columns(demo))]
        for number, b in enumerate(buildings, start=1)
    ]


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
    widths = (NUMBER_WIDTH, *(column.width for column in columns(demo)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
