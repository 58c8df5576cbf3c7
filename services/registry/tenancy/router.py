"""HTTP route for a building's tenants."""

from fastapi import APIRouter

from services.registry.tenancy import service
from services.registry.tenancy.schemas import TenantPublic
from shared import PrincipalDep, SessionDep, problem_responses
from shared.params import TextId

router = APIRouter(prefix="/api/v1", tags=["enterprises"])


@router.get(
    "/buildings/{building_id}/tenants",
    response_model=list[TenantPublic],
    responses=problem_responses(404),
    summary="Enterprises in a building now",
)
async def building_tenants(
    session: SessionDep, principal: PrincipalDep, building_id: TextId
) -> list[TenantPublic]:
    return await service.tenants(session, principal, building_id)
