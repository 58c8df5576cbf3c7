"""District response model."""

from sqlmodel import Field, SQLModel


class DistrictPublic(SQLModel):
    """A district as the API shows it."""

    district_id: str = Field(description="Stable id, e.g. `gusu`.")
    name_zh: str = Field(description="Chinese name, e.g. 姑苏区.")
    name_en: str = Field(description="English name.")
    area_code: str = Field(description="Statistical area code (an attribute, never a key).")
