"""SQL for districts."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import districts as reference_districts
from services.registry.districts.models import District


async def list_districts(session: AsyncSession) -> list[District]:
    """All districts in Annex 1 order."""
    result = await session.exec(select(District).order_by(col(District.position)))
    return list(result)


async def district_ids(session: AsyncSession) -> set[str]:
    """The ids of every known district."""
    result = await session.exec(select(District.district_id))
    return set(result)


async def upsert_reference_districts(session: AsyncSession) -> None:
    """Make the table match the bundled reference data (idempotent; runs at every start)."""
    for position, ref in enumerate(reference_districts()):
        await session.merge(
            District(
                district_id=ref.district_id,
                name_zh=ref.name_zh,
                name_en=ref.name_en,
                area_code=ref.area_code,
                position=position,
            )
        )
