"""The early warnings' inbox (预警): who sees which, acknowledging, assigning, commenting and
closing them, and the trail of each (`detection` raises them, `rules` holds the thresholds)."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings import repository as buildings
from services.monitoring.warnings import repository
from services.monitoring.warnings.models import EarlyWarning, WarningStep
from services.monitoring.warnings.schemas import (
    WarningKind,
    WarningPage,
    WarningPublic,
    WarningStepPublic,
)
from shared import Conflict, NotFound, Principal, utcnow

logger = logging.getLogger("sbe.monitoring.warnings")


# A large taxpayer's move-out rests on that enterprise's tax in the building: enterprise-level tax
# is confidential (税收保密), so these warnings go to admin and supervision only. Districts never
# see them, so a district cannot learn an enterprise's tax standing by pushing a move-out.
CONFIDENTIAL_KINDS = frozenset({WarningKind.large_taxpayer_moved_out.value})


def _hidden_from(principal: Principal) -> frozenset[str]:
    return frozenset() if principal.reads_everything else CONFIDENTIAL_KINDS


async def list_page(session: AsyncSession, principal: Principal, **filters: Any) -> WarningPage:
    """Warnings the caller may see."""
    filters["district_id"] = principal.visible_district(filters.get("district_id"))
    rows, total = await repository.page(session, hidden_kinds=_hidden_from(principal), **filters)
    names = await buildings.names_of(
        session, sorted({w.building_id for w in rows if w.building_id})
    )
    return WarningPage(items=[_view(w, names) for w in rows], total=total)


async def acknowledge(
    session: AsyncSession, principal: Principal, warning_id: int
) -> WarningPublic:
    """Mark a warning seen (admin, or the district it belongs to); repeating it changes nothing."""
    warning = await _writable(session, principal, warning_id)
    if warning.acknowledged_at is None:
        warning.acknowledged_at = utcnow()
        warning.acknowledged_by = principal.name
        await repository.save(session, warning)
        await _step(session, principal, warning, "acknowledged", None)
    return await _public(session, warning)


def _view(warning: EarlyWarning, names: dict[str, str]) -> WarningPublic:
    view = WarningPublic.model_validate(warning, from_attributes=True)
    view.building_name = names.get(warning.building_id or "")
    return view


async def _public(session: AsyncSession, warning: EarlyWarning) -> WarningPublic:
    ids = [warning.building_id] if warning.building_id else []
    return _view(warning, await buildings.names_of(session, ids))


async def _readable(session: AsyncSession, principal: Principal, warning_id: int) -> EarlyWarning:
    warning = await repository.get(session, warning_id)
    if warning is None or warning.kind in _hidden_from(principal):
        raise NotFound(f"No warning {warning_id}.")
    principal.ensure_read(warning.district_id)
    return warning


async def _writable(session: AsyncSession, principal: Principal, warning_id: int) -> EarlyWarning:
    warning = await _readable(session, principal, warning_id)
    principal.ensure_write(warning.district_id)
    return warning


async def _step(
    session: AsyncSession,
    principal: Principal,
    warning: EarlyWarning,
    action: str,
    text: str | None,
) -> None:
    assert warning.id is not None
    await repository.add_step(
        session, WarningStep(warning_id=warning.id, action=action, text=text, by=principal.name)
    )


async def assign(
    session: AsyncSession, principal: Principal, warning_id: int, assignee: str
) -> WarningPublic:
    """Name who follows the warning up (the administrator or its district)."""
    warning = await _writable(session, principal, warning_id)
    if warning.closed_at is not None:
        raise Conflict("The warning is closed; reopen it first.")
    warning.assigned_to = assignee
    await repository.save(session, warning)
    await _step(session, principal, warning, "assigned", assignee)
    return await _public(session, warning)


async def comment(
    session: AsyncSession, principal: Principal, warning_id: int, text: str
) -> WarningStepPublic:
    """Add a note to the warning's trail."""
    warning = await _writable(session, principal, warning_id)
    await _step(session, principal, warning, "commented", text)
    return WarningStepPublic(action="commented", text=text, by=principal.name, at=utcnow())


async def close(
    session: AsyncSession, principal: Principal, warning_id: int, note: str, *, reopen: bool
) -> WarningPublic:
    """Close a warning with what was done (acknowledging it if nobody had), or reopen it."""
    warning = await _writable(session, principal, warning_id)
    if reopen:
        if warning.closed_at is None:
            raise Conflict("The warning is open.")
        warning.closed_at = warning.closed_by = None
    else:
        if warning.closed_at is not None:
            raise Conflict("The warning is already closed.")
        warning.closed_at = utcnow()
        warning.closed_by = principal.name
        if warning.acknowledged_at is None:
            warning.acknowledged_at, warning.acknowledged_by = warning.closed_at, warning.closed_by
    await repository.save(session, warning)
    await _step(session, principal, warning, "reopened" if reopen else "closed", note)
    return await _public(session, warning)


async def trail(
    session: AsyncSession, principal: Principal, warning_id: int
) -> list[WarningStepPublic]:
    """Every step of the warning, oldest first."""
    await _readable(session, principal, warning_id)
    return [
        WarningStepPublic(action=s.action, text=s.text, by=s.by, at=s.at)
        for s in await repository.steps(session, warning_id)
    ]
