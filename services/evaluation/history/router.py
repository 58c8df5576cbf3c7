"""POST|GET /api/v1/evaluation/tax-history."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.evaluation.history import service
from services.evaluation.history.schemas import ImportReport, TaxYearPublic
from shared import AdminDep, OverseerDep, SessionDep, problem_responses
from shared.params import ID_ASCII_PATTERN, MAX_ID_CHARS

router = APIRouter(prefix="/api/v1/evaluation/tax-history", tags=["evaluation"])

_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.post(
    "",
    response_model=ImportReport,
    responses=problem_responses(413, 415, 422),
    summary="Import yearly tax totals from before the feed (administrator)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": _FILE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _FILE,
            },
        }
    },
)
async def import_history(
    request: Request,
    session: SessionDep,
    principal: AdminDep,
    dry_run: Annotated[
        bool, Query(description="Check the file and report every fault; store nothing.")
    ] = True,
    filename: Annotated[
        str, Query(min_length=1, max_length=200, description="The file's name (kept as source).")
    ] = "upload",
) -> ImportReport:
    """The file (CSV or XLSX, the raw body) has columns building_id, year, tax_total_cny (or
    楼宇编号, 年度, 全口径税收（元）). The totals serve the "new 亿元楼宇" rule and growth for the
    year after; they are marked imported and never shown as monthly records. Without
    `dry_run=false` nothing is stored; with it, nothing is stored unless every row is clean."""
    return await service.import_history(session, principal, await request.body(), filename, dry_run)


@router.get("", response_model=list[TaxYearPublic], summary="Imported yearly tax totals")
async def list_history(
    session: SessionDep,
    principal: OverseerDep,
    building_id: Annotated[
        str | None,
        Query(max_length=MAX_ID_CHARS, pattern=ID_ASCII_PATTERN, description="Only this building."),
    ] = None,
) -> list[TaxYearPublic]:
    """For the administrator and the supervision office (buildings' tax is not for districts)."""
    return await service.imported(session, building_id)
