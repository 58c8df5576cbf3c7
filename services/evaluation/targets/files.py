"""Targets as files: CSV import (checked in full before anything is stored) and CSV/XLSX export."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from policy import district_ids, districts
from services.evaluation.scoring.formula import TARGET_INDICATORS
from services.evaluation.targets.schemas import DistrictTargets, YearTargets
from shared import FieldError, csv_bytes, safe_row

HEADERS_ZH = {
    "district_id": "地区编号",
    "name_zh": "地区",
    "new_100m_buildings": "新增亿元楼宇",
    "cumulative_100m_buildings": "累计亿元楼宇",
    "new_featured_buildings": "新增产业特色楼宇",
    "stock_renovations": "存量楼宇改造提升",
    "promotion_events": "招商推介活动",
}


def parse(content: bytes) -> tuple[list[DistrictTargets], list[FieldError]]:
    """Every row parsed and every problem found (index = data row, from 0; the message says the
    line). Columns other than district_id and the five indicators (names, notes) are ignored."""
    problems: list[FieldError] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [FieldError(field="file", message="is not UTF-8 text")]
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("district_id", *TARGET_INDICATORS) if c not in (reader.fieldnames or [])]
    if missing:
        return [], [FieldError(field="header", message=f"missing columns: {', '.join(missing)}")]
    parsed: list[DistrictTargets] = []
    seen: dict[str, int] = {}
    known = set(district_ids())
    for index, row in enumerate(reader):
        line = index + 2
        district = (row.get("district_id") or "").strip()
        if district not in known:
            problems.append(
                FieldError(
                    index=index,
                    field="district_id",
                    message=f"line {line}: unknown district {district!r}",
                )
            )
            continue
        if district in seen:
            problems.append(
                FieldError(
                    index=index,
                    field="district_id",
                    message=f"line {line}: {district} also on line {seen[district]}",
                )
            )
            continue
        seen[district] = line
        values: dict[str, int] = {}
        for indicator in TARGET_INDICATORS:
            raw = (row.get(indicator) or "").strip()
            if not raw.isdigit() or int(raw) > 10_000:
                problems.append(
                    FieldError(
                        index=index,
                        field=indicator,
                        message=f"line {line}: {raw!r} is not a whole number 0–10000",
                    )
                )
            else:
                values[indicator] = int(raw)
        if len(values) == len(TARGET_INDICATORS):
            parsed.append(DistrictTargets(district_id=district, **values))
    for district in district_ids():
        if district not in seen:
            problems.append(FieldError(field="district_id", message=f"no line for {district}"))
    return parsed, problems


def to_csv(targets: YearTargets) -> bytes:
    """UTF-8 with a BOM, so Excel shows the Chinese names; the importer reads it back as is."""
    names = {d.district_id: d.name_zh for d in districts()}
    return csv_bytes(
        ["district_id", "name_zh", *TARGET_INDICATORS],
        (
            [t.district_id, names[t.district_id], *(getattr(t, k) for k in TARGET_INDICATORS)]
            for t in targets.targets
        ),
    )


def to_xlsx(targets: YearTargets) -> bytes:
    """A workbook with Chinese headers."""
    names = {d.district_id: d.name_zh for d in districts()}
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{targets.year}年目标"
    sheet.append([HEADERS_ZH[c] for c in ("district_id", "name_zh", *TARGET_INDICATORS)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for t in targets.targets:
        sheet.append(
            safe_row(
                [t.district_id, names[t.district_id], *(getattr(t, k) for k in TARGET_INDICATORS)]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
