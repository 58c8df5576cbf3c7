"""Turns the other services' messages into the evaluation's copies, idempotently."""

from __future__ import annotations

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import (
    BuildingMessage,
    BuildingYearMessage,
    EventMessage,
    MovementMessage,
    building_copy_row,
    building_year_row,
    upsert_building_year_copies,
)
from services.evaluation.inputs import repository
from services.evaluation.inputs.models import BuildingYearCopy
from shared import newest_by


async def apply_buildings(session: AsyncSession, buildings: list[BuildingMessage]) -> bool:
    """Registry building snapshots: the building, its designations and its renovations; whether
    any building changed."""
    # Within a batch, each building's newest message, as the copy keeps it.
    latest = newest_by(buildings, lambda b: b.id, lambda b: b.updated_at)
    changed = await repository.upsert_buildings(
        session, [building_copy_row(b) for b in latest.values()]
    )
    for building_id in sorted(changed):
        building = latest[building_id]
        await repository.replace_children(
            session,
            building_id,
            [d.model_dump() for d in building.designations],
            [
                {
                    "id": r.id,
                    "started_on": r.started_on,
                    "completed_on": r.completed_on,
                    "review_state": r.review,
                }
                for r in building.renovations
            ],
        )
    return bool(changed)


async def apply_movements(session: AsyncSession, movements: list[MovementMessage]) -> None:
    """Registry movements (only what net move-in needs)."""
    await repository.insert_movements(
        session,
        [
            {
                "district_id": m.district_id,
                "record_id": m.record_id,
                "building_id": m.building_id,
                "kind": m.kind,
                "date": m.date,
                "version": m.version,
                "withdrawn": m.withdrawn,
            }
            for m in movements
        ],
    )


async def apply_events(session: AsyncSession, events: list[EventMessage]) -> None:
    """Event states from the events service."""
    latest: dict[str, EventMessage] = {}
    for e in events:
        kept = latest.get(e.id)
        if kept is None or kept.updated_at <= e.updated_at:
            latest[e.id] = e  # within a batch, the latest state wins
    await repository.upsert_events(
        session,
        [
            {
                "id": e.id,
                "kind": e.kind,
                "scope": e.scope,
                "district_id": e.district_id,
                "title": e.title,
                "status": e.status,
                "review_state": e.review.state if e.review else None,
                "voided": e.voided is not None,
                "starts_at": e.starts_at,
                "updated_at": e.updated_at,
            }
            for e in latest.values()
        ],
    )


async def apply_building_years(session: AsyncSession, figures: list[BuildingYearMessage]) -> None:
    """Monitoring's building-year figures, with their months."""
    rows = [
        building_year_row(f)
        | {"months": orjson.dumps([m.model_dump(exclude_none=False) for m in f.months]).decode()}
        for f in figures
    ]
    await upsert_building_year_copies(session, BuildingYearCopy, rows)


async def apply_batch(
    session: AsyncSession,
    buildings: list[BuildingMessage],
    movements: list[MovementMessage],
    events: list[EventMessage],
    years: list[BuildingYearMessage],
) -> None:
    """One polled batch of the four topics, in one transaction."""
    buildings_changed = await apply_buildings(session, buildings)
    await apply_movements(session, movements)
    await apply_events(session, events)
    await apply_building_years(session, years)
    # Every kind counts in the kept district figures (movements' net move-in, events'
    # promotions), so any copy stored makes them out of date.
    if buildings_changed or movements or events or years:
        await copies_changed(session)


async def copies_changed(session: AsyncSession) -> None:
    """The district figures taken before this transaction are out of date once it commits."""
    await repository.raise_generation(session)
