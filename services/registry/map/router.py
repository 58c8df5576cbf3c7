"""HTTP routes of the map (一张图): the districts' boundaries and the located buildings, as
GeoJSON (`application/geo+json`, RFC 7946)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from services.registry.map import service
from services.registry.map.schemas import (
    BoundariesReplace,
    BoundaryVersionPublic,
    BuildingMap,
    DistrictMap,
)
from shared import AdminDep, OverseerDep, PrincipalDep, SessionDep, beijing_today, problem_responses
from shared.params import MAX_ID, DistrictFilter

router = APIRouter(prefix="/api/v1/map", tags=["map"])

GEOJSON = "application/geo+json"


class GeoJSONResponse(JSONResponse):
    """A GeoJSON document (RFC 7946), returned by the route itself: the response model describes
    it for the OpenAPI document, and is not run over tens of thousands of points."""

    media_type = GEOJSON

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


@router.get(
    "/districts",
    response_class=GeoJSONResponse,
    response_model=DistrictMap,
    responses=problem_responses(404),
    summary="The districts' boundaries",
)
async def district_boundaries(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    version: Annotated[
        int | None,
        Query(ge=0, le=MAX_ID, description="A past version (0: the shipped boundaries)."),
    ] = None,
) -> Response:
    """The ten districts' boundaries (Polygon or MultiPolygon, with `district_id`, `name_zh` and
    `schematic`); every role may read them. 苏州工业园区 is a schematic outline in the shipped
    boundaries, and the collection's `note` says so. The ETag names the version."""
    collection = await service.boundaries(session, version)
    etag = f'"boundaries-{collection["version"]}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return GeoJSONResponse(collection, headers={"ETag": etag})


@router.post(
    "/districts/versions",
    status_code=201,
    response_model=BoundaryVersionPublic,
    responses=problem_responses(422),
    summary="Replace the districts' boundaries (administrator)",
)
async def replace_boundaries(
    session: SessionDep, principal: AdminDep, body: BoundariesReplace
) -> BoundaryVersionPublic:
    """Authoritative boundaries in place of those in force: all ten districts, valid polygons
    inside Suzhou, no two overlapping (422 names each fault). The replaced version is kept."""
    return await service.replace(session, principal, body)


@router.get(
    "/districts/versions",
    response_model=list[BoundaryVersionPublic],
    summary="Every version of the boundaries",
)
async def boundary_versions(
    session: SessionDep, principal: OverseerDep
) -> list[BoundaryVersionPublic]:
    """The shipped boundaries (version 0) and each replacement, oldest first (admin,
    supervision)."""
    return await service.versions(session)


@router.get(
    "/buildings",
    response_class=GeoJSONResponse,
    response_model=BuildingMap,
    summary="The buildings on the map",
)
async def located_buildings(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    year: Annotated[
        int | None,
        Query(ge=2000, le=2100, description="The year of the figures shown (default: this year)."),
    ] = None,
) -> Response:
    """Each standing building with a location, with its year's tax and tier, occupancy, 名录 and
    featured industries. Admin and supervision see every district; a district its own."""
    collection = await service.buildings(
        session, principal, district_id, year or beijing_today().year
    )
    return GeoJSONResponse(collection)
