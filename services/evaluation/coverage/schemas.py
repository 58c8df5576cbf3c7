"""Coverage of the registry against Annex 1's count of office buildings over 10,000 m²."""

from sqlmodel import Field, SQLModel


class DistrictCoverage(SQLModel):
    """One district's registered large buildings against Annex 1."""

    district_id: str = Field(description="District.")
    name: str = Field(description="Its Chinese name.")
    annex_1_count: int = Field(
        description="Office buildings over 10,000 m² in 2022 (Annex 1, 2022年万㎡以上商务楼宇数)."
    )
    registered: int = Field(
        description="Buildings of ≥ 10,000 m² registered and standing (operating or renovating)."
    )
    registered_in_pipeline: int = Field(
        description="Buildings of ≥ 10,000 m² registered as planned or under construction."
    )
    share: float | None = Field(description="registered / annex_1_count (null when Annex 1 is 0).")
    missing: int = Field(description="How many of Annex 1's buildings are not registered yet.")


class Coverage(SQLModel):
    """The ten districts and the city: is every large building of Annex 1 on the platform?"""

    min_floor_area_m2: float = Field(description="The size counted (10,000 m²).")
    districts: list[DistrictCoverage] = Field(description="In the plan's order.")
    annex_1_count: int = Field(description="The city's Annex 1 count (347).")
    registered: int = Field(description="The city's registered standing buildings ≥ 10,000 m².")
    share: float | None = Field(description="registered / annex_1_count.")
