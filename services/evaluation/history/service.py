"""The tax-history import: yearly totals per building for the years before the feed, from a CSV
or XLSX file. Every row is checked and every fault reported; nothing is stored until the whole
file is clean (a dry run stores nothing at all). A year the feed already covers for a building
is refused: monthly records, where they exist, are the truth."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import format_cents
from services.evaluation.history import repository
from services.evaluation.history.schemas import ImportReport, TaxYearPublic
from services.evaluation.inputs import service as inputs
from shared import SHANGHAI, FieldError, Principal, UnsupportedMediaType, ValidationFailed, utcnow

# Column headers understood, in English or as a 税务 export names them.
HEADERS = {
    "building_id": ("building_id", "楼宇编号", "楼宇id", "楼宇ID"),
    "year": ("year", "年度", "年份"),
    "tax_total_cny": ("tax_total_cny", "全口径税收", "全口径税收（元）", "税收（元）", "税收"),
}
MAX_ROWS = 100_000
MAX_YEARLY_CNY = 10**13  # ¥10 trillion: beyond any building's year
_XLSX_MAGIC = b"PK\x03\x04"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(str(value)), "f")
    return str(value).strip()


def read_rows(content: bytes) -> list[dict[str, str]]:
    """The file's data rows as column → text (XLSX by its content, else CSV in UTF-8 or GB18030,
    the encodings Excel saves Chinese CSV in)."""
    if content.startswith(_XLSX_MAGIC):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # a zip that is not a workbook
            raise UnsupportedMediaType("The file is neither a CSV nor an XLSX workbook.") from exc
        sheet = book.worksheets[0]
        table = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnsupportedMediaType("The CSV is neither UTF-8 nor GB18030 text.")
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    table = [row for row in table if any(row)]
    if not table:
        raise ValidationFailed("The file has no header row.")
    header = table[0]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        found = [i for i, name in enumerate(header) if name in names]
        if not found:
            raise ValidationFailed(
                f"The header names no {key} column.",
                errors=[FieldError(field=key, message="column missing: " + " / ".join(names))],
            )
        columns[key] = found[0]
    if len(table) - 1 > MAX_ROWS:
        raise ValidationFailed(f"At most {MAX_ROWS} rows per file.")
    return [
        {key: row[i] if i < len(row) else "" for key, i in columns.items()} for row in table[1:]
    ]


def _cents(text: str) -> int:
    """Yuan as written (thousands separators allowed, at most 2 decimals, not negative)."""
    plain = text.replace(",", "").replace("，", "")
    try:
        value = Decimal(plain)
    except InvalidOperation as exc:
        raise ValueError("is not an amount in yuan") from exc
    if not value.is_finite() or value >= MAX_YEARLY_CNY:
        raise ValueError(f"must be below {MAX_YEARLY_CNY:,} yuan")
    if value < 0:
        raise ValueError("must not be negative")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("has more than 2 decimals")
    return int(value * 100)


async def import_history(
    session: AsyncSession, principal: Principal, content: bytes, source: str, dry_run: bool
) -> ImportReport:
    """Check every row; store them all (replacing earlier imports of the same years) only when
    none is at fault and this is not a dry run."""
    rows = read_rows(content)
    this_year = utcnow().astimezone(SHANGHAI).year
    errors: list[FieldError] = []
    parsed: dict[tuple[str, int], tuple[int, int]] = {}  # key → (row index, cents)
    for index, row in enumerate(rows):
        building_id = row["building_id"]
        if not building_id:
            errors.append(FieldError(index=index, field="building_id", message="is empty"))
            continue
        try:
            year = int(row["year"])
        except ValueError:
            errors.append(FieldError(index=index, field="year", message="is not a year"))
            continue
        if not 2000 <= year < this_year:
            errors.append(
                FieldError(index=index, field="year", message=f"must be 2000…{this_year - 1}")
            )
            continue
        try:
            cents = _cents(row["tax_total_cny"])
        except ValueError as exc:
            errors.append(FieldError(index=index, field="tax_total_cny", message=str(exc)))
            continue
        key = (building_id, year)
        if key in parsed:
            errors.append(
                FieldError(
                    index=index,
                    field="year",
                    message=f"repeats row {parsed[key][0]} ({building_id}, {year})",
                )
            )
            continue
        parsed[key] = (index, cents)
    keys = sorted(parsed)
    known = await repository.known_buildings(session, {b for b, _ in parsed})
    fed = await repository.fed_years(session, keys)
    for (building_id, year), (index, _) in sorted(parsed.items(), key=lambda i: i[1][0]):
        if building_id not in known:
            errors.append(FieldError(index=index, field="building_id", message="no such building"))
        elif (building_id, year) in fed:
            errors.append(
                FieldError(
                    index=index,
                    field="year",
                    message="the feed has monthly tax records for this year: they stand",
                )
            )
    errors.sort(key=lambda e: (e.index or 0, e.field))
    bad = {e.index for e in errors}
    valid = len(rows) - len(bad)
    if dry_run or errors:
        report = ImportReport(
            dry_run=dry_run, rows=len(rows), valid=valid, stored=0, replaced=0, errors=errors
        )
        if errors and not dry_run:
            raise ValidationFailed(
                f"{len(bad)} of {len(rows)} rows are at fault; nothing was stored.",
                errors=errors,
            )
        return report
    earlier = await repository.imported_years(session, keys)
    now = utcnow()
    by = principal.name
    values = [
        {
            "building_id": b,
            "year": y,
            "tax_cents": cents,
            "source": source,
            "imported_by": by,
            "imported_at": now,
        }
        for (b, y), (_, cents) in parsed.items()
    ]
    await repository.upsert(session, values)
    await inputs.copies_changed(session)
    return ImportReport(
        dry_run=False,
        rows=len(rows),
        valid=valid,
        stored=len(values),
        replaced=len(earlier),
        errors=[],
    )


async def imported(session: AsyncSession, building_id: str | None) -> list[TaxYearPublic]:
    """The imported totals, by building and year."""
    return [
        TaxYearPublic(
            building_id=h.building_id,
            year=h.year,
            tax_total_cny=format_cents(h.tax_cents),
            source=h.source,
            imported_by=h.imported_by,
            imported_at=h.imported_at,
        )
        for h in await repository.history(session, building_id)
    ]
