"""SQL for the demonstration city's state."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.demo.models import DemoState


async def current(session: AsyncSession) -> DemoState | None:
    return await session.get(DemoState, 1)


async def save(session: AsyncSession, state: DemoState) -> DemoState:
    state = await session.merge(state)
    await session.flush()
    return state
