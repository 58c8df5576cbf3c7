"""SQL for publications (insert and read only: they are never changed)."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.evaluation.publications.models import Publication, PublicationPreface


async def add(session: AsyncSession, publication: Publication) -> Publication:
    session.add(publication)
    await session.flush()
    return publication


async def get(session: AsyncSession, publication_id: int) -> Publication | None:
    return await session.get(Publication, publication_id)


async def of_year(session: AsyncSession, year: int | None) -> list[Publication]:
    query = select(Publication).order_by(col(Publication.published_at).desc())
    if year is not None:
        query = query.where(Publication.year == year)
    return list(await session.exec(query))


async def latest_by_year(session: AsyncSession) -> list[tuple[int, datetime]]:
    """(year, when its latest publication was made) for every year published."""
    query = select(col(Publication.year), func.max(col(Publication.published_at))).group_by(
        col(Publication.year)
    )
    return list((await session.exec(query)).all())


async def preface(session: AsyncSession, publication_id: int) -> PublicationPreface | None:
    return await session.get(PublicationPreface, publication_id)


async def save_preface(session: AsyncSession, preface: PublicationPreface) -> PublicationPreface:
    preface = await session.merge(preface)
    await session.flush()
    return preface


async def with_preface(session: AsyncSession, publication_ids: list[int]) -> set[int]:
    """Those of the publications whose blue book has a preface."""
    if not publication_ids:
        return set()
    query = select(PublicationPreface.publication_id).where(
        col(PublicationPreface.publication_id).in_(publication_ids)
    )
    return set((await session.exec(query)).all())
