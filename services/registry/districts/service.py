"""The ten districts: reference data every role may read."""

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.districts import repository
from services.registry.districts.schemas import DistrictPublic


async def list_districts(session: AsyncSession) -> list[DistrictPublic]:
    """The ten districts in the plan's order."""
    return [
        DistrictPublic.model_validate(d, from_attributes=True)
        for d in await repository.list_districts(session)
    ]
