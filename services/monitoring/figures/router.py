"""HTTP routes for building series and district summaries."""

from typing import Annotated

from fastapi import APIRouter, Query

from services.monitoring.figures import service
from services.monitoring.figures.schemas import (
    AreaSeries,
    BuildingSeries,
    CitySummary,
    CityTiers,
    DistrictSummary,
    KnownYears,
    YearOnYear,
)
from shared import PrincipalDep, SessionDep, problem_responses
from shared.params import PERIOD_PATTERN, DistrictFilter, DistrictPath, TextId, YearQuery

router = APIRouter(prefix="/api/v1/monitoring", tags=["monitoring"])


PeriodQuery = Annotated[
    str | None, Query(pattern=PERIOD_PATTERN, description="YYYY-MM, inclusive.")
]


@router.get(
    "/buildings/{building_id}/series",
    response_model=BuildingSeries,
    responses=problem_responses(404),
    summary="A building's monthly occupancy and tax",
)
async def building_series(
    session: SessionDep,
    principal: PrincipalDep,
    building_id: TextId,
    first: Annotated[PeriodQuery, Query(alias="from")] = None,
    last: Annotated[PeriodQuery, Query(alias="to")] = None,
) -> BuildingSeries:
    """One entry per month with data; the tax is the building's monthly total, never finer."""
    return await service.series(session, principal, building_id, first, last)


@router.get(
    "/districts/{district_id}/summary",
    response_model=DistrictSummary,
    response_model_by_alias=True,
    responses=problem_responses(404),
    summary="A district's year: occupancy, tax, tax per m², 亿元楼宇",
)
async def district_summary(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictPath,
    year: YearQuery,
) -> DistrictSummary:
    return await service.district_summary(session, principal, district_id, year)


@router.get(
    "/city/summary",
    response_model=CitySummary,
    response_model_by_alias=True,
    summary="The ten districts and the city's totals for a year",
)
async def city_summary(
    session: SessionDep, principal: PrincipalDep, year: YearQuery
) -> CitySummary:
    """Each district beside its previous year, with counts over 1亿, 5亿 and 10亿; a district
    key sees its own district and the city's totals only."""
    return await service.city_summary(session, principal, year)


@router.get(
    "/districts/{district_id}/series",
    response_model=AreaSeries,
    responses=problem_responses(404),
    summary="A district's monthly tax and occupancy",
)
async def district_series(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictPath,
    first: Annotated[PeriodQuery, Query(alias="from")] = None,
    last: Annotated[PeriodQuery, Query(alias="to")] = None,
) -> AreaSeries:
    """Sums over the district's buildings; occupancy over the buildings that reported."""
    return await service.area_series(session, principal, district_id, first, last)


@router.get(
    "/years",
    response_model=KnownYears,
    responses=problem_responses(401),
    summary="The years the platform has figures for",
)
async def years(session: SessionDep, _: PrincipalDep) -> KnownYears:
    """Years only (no figure): every signed-in role may read them."""
    return await service.known_years(session)


@router.get(
    "/city/series", response_model=AreaSeries, summary="The city's monthly tax and occupancy"
)
async def city_series(
    session: SessionDep,
    principal: PrincipalDep,
    first: Annotated[PeriodQuery, Query(alias="from")] = None,
    last: Annotated[PeriodQuery, Query(alias="to")] = None,
) -> AreaSeries:
    """Sums over every building; city totals, which every role may read."""
    return await service.area_series(session, principal, None, first, last)


@router.get(
    "/year-on-year",
    response_model=YearOnYear,
    responses=problem_responses(403, 404),
    summary="Each month beside the same month a year before (同比)",
)
async def year_on_year(
    session: SessionDep,
    principal: PrincipalDep,
    year: YearQuery,
    district_id: DistrictFilter = None,
) -> YearOnYear:
    """A district's months (or, without `district_id`, the city's, which every caller may
    read) beside the previous year's, with the change in tax."""
    return await service.year_on_year(session, principal, district_id, year)


@router.get(
    "/city/tiers",
    response_model=CityTiers,
    response_model_by_alias=True,
    summary="The buildings above 1亿, 5亿 and 10亿, city-wide",
)
async def city_tiers(session: SessionDep, principal: PrincipalDep, year: YearQuery) -> CityTiers:
    """Richest first, with their district and yearly tax; a district key sees its own
    district's buildings."""
    return await service.city_tiers(session, principal, year)
