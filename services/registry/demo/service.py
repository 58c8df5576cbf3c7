"""The demonstration city's state: what `sbe demo` reports, what the platform says of it."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.demo import repository
from services.registry.demo.models import DemoState
from services.registry.demo.schemas import DemoMarker, DemoPublic, DemoReport, Reconciliation


def _public(state: DemoState | None) -> DemoPublic:
    if state is None:
        return DemoPublic(
            loaded=False,
            seed=None,
            scale=None,
            started_at=None,
            loaded_at=None,
            reconciliation=None,
        )
    return DemoPublic(
        loaded=True,
        seed=state.seed,
        scale=state.scale,
        started_at=state.started_at,
        loaded_at=state.loaded_at,
        reconciliation=Reconciliation.model_validate_json(state.reconciliation)
        if state.reconciliation
        else None,
    )


async def state(session: AsyncSession) -> DemoPublic:
    return _public(await repository.current(session))


async def marker(session: AsyncSession) -> DemoMarker:
    return DemoMarker(demo=await repository.current(session) is not None)


async def report(session: AsyncSession, data: DemoReport) -> DemoPublic:
    """Record the load: begun (the platform holds demonstration data from now on), or done."""
    saved = await repository.save(
        session,
        DemoState(
            id=1,
            seed=data.seed,
            scale=data.scale,
            started_at=data.started_at,
            loaded_at=data.loaded_at,
            reconciliation=data.reconciliation.model_dump_json() if data.reconciliation else None,
        ),
    )
    return _public(saved)
