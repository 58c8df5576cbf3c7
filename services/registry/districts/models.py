"""District table."""

from sqlmodel import Field

from services.registry.db import RegistryTable


class District(RegistryTable, table=True):
    """One of the ten districts, seeded from the plan's Annex 1."""

    district_id: str = Field(primary_key=True, max_length=32)
    name_zh: str = Field(max_length=50)
    name_en: str = Field(max_length=100)
    area_code: str = Field(max_length=6)
    position: int = Field(description="Order of Annex 1, which the API keeps.")
