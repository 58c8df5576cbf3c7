"""GET /api/v1/evaluation/coverage."""

from fastapi import APIRouter

from services.evaluation.coverage import service
from services.evaluation.coverage.schemas import Coverage
from shared import PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1/evaluation", tags=["evaluation"])


@router.get("/coverage", response_model=Coverage, summary="Registered large buildings vs Annex 1")
async def coverage(session: SessionDep, principal: PrincipalDep) -> Coverage:
    """Each district's registered buildings of ≥ 10,000 m² against Annex 1's 2022 count (347 in
    all); a district key sees its own line and the city's totals."""
    return await service.coverage(session, principal)
