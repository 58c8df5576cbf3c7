"""A building's tenant as the API shows it."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from policy import FeaturedIndustry


class TenantPublic(SQLModel):
    """An enterprise in a building now (no tax figures: 税收保密)."""

    uscc: str = Field(description="统一社会信用代码.")
    enterprise_name: str = Field(description="Name.")
    industry_code: str | None = Field(description="GB/T 4754-2017 code, if reported.")
    featured_industry: FeaturedIndustry | None = Field(description="Featured industry, if any.")
    area_m2: float | None = Field(description="Leased area, if reported.")
    since: dt.date | None = Field(description="Date it moved in.")
