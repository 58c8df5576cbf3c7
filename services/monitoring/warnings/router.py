"""HTTP routes for early warnings."""

from typing import Annotated

from fastapi import APIRouter, Query

from services.monitoring.warnings import service
from services.monitoring.warnings.schemas import WarningKind, WarningPage, WarningPublic
from shared import (
    DistrictFilter,
    Limit,
    Offset,
    PrincipalDep,
    RowId,
    SessionDep,
    WriterDep,
    problem_responses,
)

router = APIRouter(prefix="/api/v1/monitoring/warnings", tags=["monitoring"])


@router.get("", response_model=WarningPage, summary="Early warnings")
async def list_warnings(
    session: SessionDep,
    principal: PrincipalDep,
    district_id: DistrictFilter = None,
    kind: Annotated[WarningKind | None, Query(description="Only this kind.")] = None,
    acknowledged: Annotated[bool | None, Query(description="Only (un)acknowledged.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WarningPage:
    """A district key sees its own district's warnings."""
    return await service.list_page(
        session,
        principal,
        district_id=district_id,
        kind=kind.value if kind else None,
        acknowledged=acknowledged,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/{warning_id}/acknowledge",
    response_model=WarningPublic,
    responses=problem_responses(404),
    summary="Acknowledge a warning",
)
async def acknowledge_warning(
    session: SessionDep, principal: WriterDep, warning_id: RowId
) -> WarningPublic:
    """The administrator or the warning's own district."""
    return await service.acknowledge(session, principal, warning_id)
