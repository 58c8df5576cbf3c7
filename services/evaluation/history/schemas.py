"""Request and response models of the tax-history import."""

from datetime import datetime

from pydantic import field_serializer
from sqlmodel import Field, SQLModel

from shared import SHANGHAI, FieldError


class ImportReport(SQLModel):
    """What an import found, and (unless it was a dry run) what it stored."""

    dry_run: bool = Field(description="Nothing was stored: the file was checked only.")
    rows: int = Field(description="Data rows read.")
    valid: int = Field(description="Rows without a fault.")
    stored: int = Field(description="Rows stored (0 in a dry run or when any row is at fault).")
    replaced: int = Field(description="Of those, rows that replaced an earlier import.")
    errors: list[FieldError] = Field(
        description="Every fault, by data row (index 0 is the first row under the header)."
    )


class TaxYearPublic(SQLModel):
    """An imported yearly total."""

    building_id: str = Field(description="Building.")
    year: int = Field(description="Calendar year.")
    tax_total_cny: str = Field(description="Decimal string.")
    imported: bool = Field(default=True, description="Always true: not from the feed.")
    source: str = Field(description="The file it came from.")
    imported_by: str = Field(description="Who imported it.")
    imported_at: datetime = Field(description="When (+08:00).")

    @field_serializer("imported_at")
    def _beijing_time(self, value: datetime) -> str:
        return value.astimezone(SHANGHAI).isoformat()
