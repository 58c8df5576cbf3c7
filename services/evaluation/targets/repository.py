"""SQL for targets."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.targets.models import Target, TargetVersion


async def current(session: AsyncSession, year: int) -> TargetVersion | None:
    """The version in force for a year."""
    query = select(TargetVersion).where(TargetVersion.year == year, col(TargetVersion.current))
    return (await session.exec(query)).first()


async def latest_year(session: AsyncSession) -> int | None:
    """The latest year that has targets in force, if any."""
    query = select(func.max(TargetVersion.year)).where(col(TargetVersion.current))
    return (await session.exec(query)).one()


async def versions(session: AsyncSession, year: int) -> list[TargetVersion]:
    """Every version of a year, oldest first."""
    query = (
        select(TargetVersion).where(TargetVersion.year == year).order_by(col(TargetVersion.version))
    )
    return list(await session.exec(query))


async def values(session: AsyncSession, version_ids: list[int]) -> list[Target]:
    """The target values of some versions."""
    return list(await session.exec(select(Target).where(col(Target.version_id).in_(version_ids))))


async def add_version(session: AsyncSession, version: TargetVersion, targets: list[Target]) -> None:
    """Make `version` the one in force for its year (the former stays, no longer current)."""
    await session.exec(
        update(TargetVersion)
        .where(col(TargetVersion.year) == version.year, col(TargetVersion.current))
        .values(current=False)
    )
    session.add(version)
    await session.flush()
    for target in targets:
        target.version_id = version.id  # type: ignore[assignment]
        session.add(target)
    await session.flush()
