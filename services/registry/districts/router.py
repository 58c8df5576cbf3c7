"""GET /api/v1/districts."""

from fastapi import APIRouter

from services.registry.districts import service
from services.registry.districts.schemas import DistrictPublic
from shared import PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1/districts", tags=["districts"])


@router.get("", response_model=list[DistrictPublic], summary="The ten districts")
async def list_districts(session: SessionDep, principal: PrincipalDep) -> list[DistrictPublic]:
    """The ten districts in the plan's order: city-wide reference data every role may read."""
    return await service.list_districts(session)
