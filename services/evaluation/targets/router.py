"""HTTP routes for targets."""

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from services.evaluation.targets import files, service
from services.evaluation.targets.schemas import (
    ImportReport,
    TargetHistory,
    TargetsUpdate,
    YearTargets,
)
from shared import AdminDep, PrincipalDep, SessionDep, problem_responses

router = APIRouter(prefix="/api/v1/evaluation/targets", tags=["evaluation"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YearPath = Annotated[int, Path(ge=2000, le=2100, description="Calendar year.")]


@router.get(
    "/{year}",
    response_model=YearTargets,
    responses=problem_responses(404),
    summary="A year's targets",
)
async def get_targets(session: SessionDep, principal: PrincipalDep, year: YearPath) -> YearTargets:
    """The targets in force: city-wide reference data every role may read."""
    return await service.in_force(session, year)


@router.put("/{year}", response_model=YearTargets, summary="Replace a year's targets")
async def put_targets(
    session: SessionDep, principal: AdminDep, year: YearPath, body: TargetsUpdate
) -> YearTargets:
    """The administrator (发改委) sets all ten districts' targets; the former version is kept."""
    return await service.replace(session, principal, year, body)


@router.post(
    "/{year}/import",
    response_model=ImportReport,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "district_id and the five indicator columns (Annex 1's CSV works).",
        }
    },
    summary="Import a year's targets from CSV (dry run first)",
)
async def import_targets(
    request: Request,
    session: SessionDep,
    principal: AdminDep,
    year: YearPath,
    dry_run: Annotated[bool, Query(description="Only report what the file holds.")] = True,
    reason: Annotated[str | None, Query(max_length=1000, description="Why.")] = None,
) -> ImportReport:
    """Every problem is reported before anything is stored (422 on a real run with problems)."""
    content = await request.body()
    return await service.import_csv(
        session, principal, year, content, dry_run=dry_run, reason=reason
    )


@router.get(
    "/{year}/export",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The targets in force as CSV (UTF-8 with BOM) or XLSX.",
        },
        **problem_responses(404),
    },
    summary="Export a year's targets",
)
async def export_targets(
    session: SessionDep,
    principal: PrincipalDep,
    year: YearPath,
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv or xlsx.")] = "csv",
) -> Response:
    targets = await service.in_force(session, year)
    if format == "xlsx":
        body, media_type = await asyncio.to_thread(files.to_xlsx, targets), XLSX
    else:
        body, media_type = files.to_csv(targets), "text/csv; charset=utf-8"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="targets-{year}.{format}"'},
    )


@router.get(
    "/{year}/history",
    response_model=TargetHistory,
    responses=problem_responses(404),
    summary="Every version of a year's targets",
)
async def target_history(
    session: SessionDep, principal: PrincipalDep, year: YearPath
) -> TargetHistory:
    return await service.history(session, year)
