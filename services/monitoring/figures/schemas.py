"""Figures as the API shows them: amounts as decimal strings, never floats."""

from __future__ import annotations

from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel


class MonthFigures(SQLModel):
    """One month of a building with data."""

    period: str = Field(description="YYYY-MM")
    leasable_area_m2: float | None = Field(description="Leasable area of the latest report.")
    occupied_area_m2: float | None = Field(description="Occupied area of the latest report.")
    occupancy_rate: float | None = Field(description="occupied ÷ leasable (0…1).")
    enterprise_count: int | None = Field(description="Enterprises in the building.")
    tax_total_cny: str = Field(description="Sum of the month's tax records, a decimal string.")


class BuildingSeries(SQLModel):
    """A building's months with data."""

    building_id: str = Field(description="Building id.")
    months: list[MonthFigures] = Field(description="One entry per month with data, oldest first.")


class TierBuildings(SQLModel):
    """Buildings strictly above each tax tier in the year (亿元楼宇 and higher)."""

    model_config = {"populate_by_name": True}

    over_100m: list[str] = PydanticField(alias="100m", description="Above CNY 100 million (1亿).")
    over_500m: list[str] = PydanticField(alias="500m", description="Above CNY 500 million (5亿).")
    over_1b: list[str] = PydanticField(alias="1b", description="Above CNY 1 billion (10亿).")


class DistrictSummary(SQLModel):
    """A district's year."""

    district_id: str = Field(description="District.")
    year: int = Field(description="Calendar year.")
    occupancy_rate: float | None = Field(
        description="Σ occupied ÷ Σ leasable over the latest month in the year of each building."
    )
    tax_total_cny: str = Field(description="Tax of the district's buildings over the year.")
    tax_per_m2_cny: str | None = Field(description="Tax ÷ gross floor area of the buildings.")
    buildings_over: TierBuildings = Field(description="Buildings above 1亿, 5亿, 10亿.")


class TierCounts(SQLModel):
    """How many buildings are strictly above each tax tier in the year."""

    model_config = {"populate_by_name": True}

    over_100m: int = PydanticField(alias="100m", description="Above 1亿.")
    over_500m: int = PydanticField(alias="500m", description="Above 5亿.")
    over_1b: int = PydanticField(alias="1b", description="Above 10亿.")


class CityDistrictLine(DistrictSummary):
    """One district in the city summary, with the previous year beside it."""

    tax_total_prev_cny: str = Field(description="The district's tax in the previous year.")
    buildings_over_counts: TierCounts = Field(description="Counts over 1亿, 5亿, 10亿.")


class KnownYears(SQLModel):
    """The years the platform has figures for, and where a person's view starts."""

    years: list[int] = Field(description="Years with tax or occupancy data, oldest first.")
    latest_with_data: int | None = Field(description="The latest of them; null without data.")
    current: int = Field(description="This year (Beijing time).")


class ComparedMonths(SQLModel):
    """Which months a 同比 compares: the same months of both years."""

    complete: bool = Field(description="True when the year is over and compared whole.")
    months: list[int] = Field(
        description="The months compared (1–12, from January): the year's months with data "
        "while it is in progress; empty before its first data."
    )
    label: str = Field(description="The months as officials write them: 全年, 1–11月.")


class CityTotals(SQLModel):
    """The whole city's year."""

    tax_total_cny: str = Field(description="Tax of every building over the year.")
    tax_total_prev_cny: str = Field(
        description="The previous year's tax over the same months (see `compared`)."
    )
    occupancy_rate: float | None = Field(description="Σ occupied ÷ Σ leasable, latest months.")
    buildings_over_counts: TierCounts = Field(description="Counts over 1亿, 5亿, 10亿.")


class CitySummary(SQLModel):
    """All ten districts in one answer, and the city's totals."""

    year: int = Field(description="Calendar year.")
    districts: list[CityDistrictLine] = Field(
        description="The districts the caller may read (a district key: its own)."
    )
    city: CityTotals = Field(description="City-wide totals (every caller may read them).")
    compared: ComparedMonths = Field(
        description="The months every `tax_total_prev_cny` covers: the whole previous year once "
        "the year is over, while it is in progress the same months as the year's data."
    )


class AreaSeries(SQLModel):
    """An area's months (a district's or the city's), summed over its buildings."""

    district_id: str | None = Field(description="The district; null for the whole city.")
    months: list[MonthFigures] = Field(description="One entry per month with data, oldest first.")


class TierBuilding(SQLModel):
    """A building above a tier in the year."""

    building_id: str = Field(description="Building.")
    name: str = Field(description="Its name.")
    district_id: str = Field(description="Its district.")
    tax_total_cny: str = Field(description="Its tax over the year (decimal string).")


class CityTiers(SQLModel):
    """The buildings above 1亿, 5亿 and 10亿 in the year, city-wide, richest first."""

    model_config = {"populate_by_name": True}

    year: int = Field(description="Calendar year.")
    over_100m: list[TierBuilding] = PydanticField(alias="100m", description="Above 1亿.")
    over_500m: list[TierBuilding] = PydanticField(alias="500m", description="Above 5亿.")
    over_1b: list[TierBuilding] = PydanticField(alias="1b", description="Above 10亿.")


class YearOnYearMonth(SQLModel):
    """A month beside the same month of the previous year."""

    month: int = Field(description="1–12.")
    tax_total_cny: str | None = Field(
        description="The month's tax (decimal string); null for a month without data, which is "
        "missing, not zero."
    )
    tax_total_prev_cny: str | None = Field(
        description="The same month of the previous year; null without data."
    )
    tax_change: float | None = Field(
        description="(this − previous) ÷ previous; null when the previous month had no tax."
    )
    occupancy_rate: float | None = Field(description="The month's occupancy, if reported.")
    occupancy_rate_prev: float | None = Field(description="The same month a year before.")


class YearOnYear(SQLModel):
    """同比: an area's months (a district's or the city's) beside the previous year's."""

    district_id: str | None = Field(description="The district; null for the whole city.")
    year: int = Field(description="Calendar year.")
    months: list[YearOnYearMonth] = Field(description="January to December.")
    tax_total_cny: str = Field(description="The year's tax.")
    tax_total_prev_cny: str = Field(
        description="The previous year's tax over the same months (see `compared`)."
    )
    tax_change: float | None = Field(description="Year on year; null when nothing before.")
    compared: ComparedMonths = Field(description="The months both totals cover.")
