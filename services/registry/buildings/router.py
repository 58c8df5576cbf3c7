"""HTTP routes for buildings, designations and the 名录 exports."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from policy import FeaturedIndustry
from services.registry.buildings import exports, service
from services.registry.buildings.schemas import (
    BuildingCreate,
    BuildingFilter,
    BuildingOrder,
    BuildingPage,
    BuildingPublic,
    BuildingSort,
    BuildingUpdate,
    DesignationCreate,
    DesignationPublic,
    ListKey,
    ListPage,
    RetireRequest,
    SortOrder,
)
from services.registry.demo import service as demo_service
from services.registry.reading import ReaderDep
from shared import (
    AdminDep,
    Line,
    PrincipalDep,
    SessionDep,
    WriterDep,
    beijing_today,
    problem_responses,
)
from shared.params import AsciiId, DistrictFilter, Limit, Offset, TextId

router = APIRouter(prefix="/api/v1", tags=["buildings"])


@router.post(
    "/buildings",
    status_code=201,
    response_model=BuildingPublic,
    responses=problem_responses(409),
    summary="Register a building",
)
async def create_building(
    session: SessionDep, principal: WriterDep, body: BuildingCreate
) -> BuildingPublic:
    """Admin for any district; a district key for its own district."""
    return await service.create(session, principal, body)


@router.get("/buildings", response_model=BuildingPage, summary="List buildings")
async def list_buildings(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    list_key: Annotated[ListKey | None, Query(alias="list", description="Only this 名录.")] = None,
    featured_industry: Annotated[
        FeaturedIndustry | None, Query(description="Only buildings designated for this industry.")
    ] = None,
    ids: Annotated[
        list[AsciiId] | None,
        Query(alias="id", max_length=1000, description="Only these ids (repeat the parameter)."),
    ] = None,
    q: Annotated[
        Line | None,
        Query(min_length=1, max_length=100, description="Text in the name, address or id."),
    ] = None,
    year: Annotated[
        int | None,
        Query(ge=2000, le=2100, description="The year of the figures shown (default: this year)."),
    ] = None,
    sort: Annotated[BuildingSort, Query(description="id, name, area, tax or occupancy.")] = (
        BuildingSort.id
    ),
    order: Annotated[SortOrder, Query(description="asc or desc.")] = SortOrder.asc,
    limit: Limit = 50,
    offset: Offset = 0,
) -> BuildingPage:
    """Each building with the year's tax and latest occupancy as monitoring announced them,
    searchable and sortable by them. A district key sees its own district's buildings only, so
    a building's tax goes only to the administrator, the 督查室 and its own district."""
    f = BuildingFilter(
        district_id=district_id,
        list_key=list_key.value if list_key else None,
        featured_industry=featured_industry.value if featured_industry else None,
        ids=tuple(ids) if ids is not None else None,
        text=q,
    )
    ordering = BuildingOrder(
        year=year or beijing_today().year, sort=sort, descending=order is SortOrder.desc
    )
    return await service.list_page(session, principal, f, ordering, limit, offset)


@router.get(
    "/buildings/{building_id}",
    response_model=BuildingPublic,
    responses=problem_responses(404),
    summary="One building",
)
async def get_building(reader: ReaderDep, building_id: TextId) -> BuildingPublic:
    return await service.read(reader, building_id)


@router.patch(
    "/buildings/{building_id}",
    response_model=BuildingPublic,
    responses=problem_responses(404, 409),
    summary="Change a building",
)
async def update_building(
    session: SessionDep, principal: WriterDep, building_id: TextId, body: BuildingUpdate
) -> BuildingPublic:
    return await service.update(session, principal, building_id, body)


@router.post(
    "/buildings/{building_id}/retire",
    response_model=BuildingPublic,
    responses=problem_responses(404, 409),
    summary="Retire a building (administrator)",
)
async def retire_building(
    session: SessionDep, principal: AdminDep, building_id: TextId, body: RetireRequest
) -> BuildingPublic:
    """Demolished, merged into another, converted: the building is kept with the reason and stops
    counting in the years after it was retired. Buildings are never deleted."""
    return await service.retire(session, principal, building_id, body)


@router.post(
    "/buildings/{building_id}/featured-designation",
    status_code=201,
    response_model=DesignationPublic,
    responses=problem_responses(404, 409),
    summary="Designate a featured-industry building",
)
async def designate(
    session: SessionDep, principal: AdminDep, building_id: TextId, body: DesignationCreate
) -> DesignationPublic:
    """产业特色楼宇认定: the administrator's decision."""
    return await service.designate(session, principal, building_id, body)


@router.delete(
    "/buildings/{building_id}/featured-designation/{industry}",
    status_code=204,
    responses=problem_responses(404),
    summary="Withdraw a featured-industry designation",
)
async def withdraw_designation(
    session: SessionDep, principal: AdminDep, building_id: TextId, industry: FeaturedIndustry
) -> Response:
    await service.withdraw_designation(session, building_id, industry.value)
    return Response(status_code=204)


@router.get(
    "/lists/{list_key}",
    response_model=ListPage,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                exports.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The 名录 as JSON, CSV (UTF-8 with BOM) or XLSX.",
        }
    },
    summary="Export a 名录",
)
async def export_list(
    session: SessionDep,
    principal: PrincipalDep,
    list_key: ListKey,
    district_id: DistrictFilter = None,
    format: Annotated[Literal["json", "csv", "xlsx"], Query(description="Output format.")] = "json",
) -> ListPage | Response:
    """The key-building, new-project or renovation list, with Chinese column headers in files."""
    # A 名录 lists the buildings standing: a retired one stays in the registry, not on the lists.
    f = BuildingFilter(district_id=district_id, list_key=list_key.value, standing=True)
    items, total = await service.listed(session, principal, f)
    if format == "json":
        return ListPage(
            list=list_key,
            district_id=principal.visible_district(district_id),
            items=items,
            total=total,
        )
    names = await service.district_names(session)
    demo = (await demo_service.marker(session)).demo
    table = exports.rows(items, names, demo)
    filename = f"{list_key.value}-{district_id or 'all'}" + ("-demo" if demo else "")
    if format == "csv":
        body = await asyncio.to_thread(exports.to_csv, table, demo)
        media_type = exports.CSV_MEDIA_TYPE
    else:
        body = await asyncio.to_thread(exports.to_xlsx, list_key, table, demo)
        media_type = exports.XLSX_MEDIA_TYPE
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{format}"'},
    )
