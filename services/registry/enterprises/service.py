"""Rules for movement pushes (all or nothing, idempotent on record_id) and tenant figures."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.registry.buildings import repository as buildings
from services.registry.db import RegistryOutbox
from services.registry.enterprises import repository
from services.registry.enterprises.models import Tenancy
from services.registry.enterprises.schemas import (
    MovementBatch,
    MovementKind,
    MovementPage,
    MovementPublic,
    MovementRecord,
    MovementResult,
    TenantPublic,
)
from services.registry.metrics import MOVEMENT_RECORDS
from shared import (
    TOPIC_REGISTRY_MOVEMENTS,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Principal,
    ValidationFailed,
    enqueue,
    featured_industry_of,
    utcnow,
)


def content_hash(record: MovementRecord) -> str:
    """A digest of everything a record says, to tell a resend from a conflicting reuse of its id."""
    return hashlib.sha256(
        orjson.dumps(record.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _conflicts_within(
    records: list[MovementRecord], hashes: list[str], districts: dict[str, str]
) -> list[FieldError]:
    first: dict[tuple[str, str], int] = {}
    errors = []
    for index, record in enumerate(records):
        seen = first.setdefault((districts[record.building_id], record.record_id), index)
        if seen != index and hashes[seen] != hashes[index]:
            errors.append(
                FieldError(
                    index=index,
                    field="record_id",
                    message=f"reuses the record_id of record {seen} with other content",
                )
            )
    return errors


async def _building_districts(
    session: AsyncSession, principal: Principal, records: list[MovementRecord]
) -> dict[str, str]:
    districts = await buildings.existing_districts(session, (r.building_id for r in records))
    unknown = [
        FieldError(index=i, field="building_id", message=f"no building {r.building_id!r}")
        for i, r in enumerate(records)
        if r.building_id not in districts
    ]
    if unknown:
        raise ValidationFailed(f"{len(unknown)} record(s) name unknown buildings.", errors=unknown)
    foreign = [
        FieldError(
            index=i,
            field="building_id",
            message=f"building {r.building_id!r} is in another district",
        )
        for i, r in enumerate(records)
        if not principal.can_write(districts[r.building_id])
    ]
    if foreign:
        raise Forbidden(
            f"{len(foreign)} record(s) concern buildings this key may not report on.",
            errors=foreign,
        )
    return districts


async def push(session: AsyncSession, principal: Principal, batch: MovementBatch) -> MovementResult:
    """Store a batch of movements: every record or none; resends change nothing."""
    records = batch.records
    hashes = [content_hash(r) for r in records]
    # Record ids are namespaced by the building's district: a district's ids are its own.
    districts = await _building_districts(session, principal, records)
    keys = [(districts[r.building_id], r.record_id) for r in records]
    within = _conflicts_within(records, hashes, districts)
    if within:
        raise Conflict("The batch reuses record ids with different content.", errors=within)
    stored = await repository.stored_hashes(session, keys)
    clashes = [
        FieldError(index=i, field="record_id", message="already stored with other content")
        for i, key in enumerate(keys)
        if key in stored and stored[key] != hashes[i]
    ]
    if clashes:
        raise Conflict(
            f"{len(clashes)} record id(s) are already stored with other content; "
            "nothing was stored.",
            errors=clashes,
        )
    fresh: dict[tuple[str, str], tuple[MovementRecord, str]] = {}
    for record, digest, key in zip(records, hashes, keys, strict=True):
        if key not in stored:
            fresh.setdefault(key, (record, digest))
    new = [r for r, _ in fresh.values()]
    now = utcnow()
    rows = [
        {
            **r.model_dump(),
            "kind": r.kind.value,
            "district_id": districts[r.building_id],
            "content_hash": digest,
            "pushed_by": principal.key_id,
            "received_at": now,
        }
        for r, digest in fresh.values()
    ]
    try:
        await repository.insert_movements(session, rows)
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "Another push stored some of these record ids at the same moment; send the batch again."
        ) from exc
    await _apply_to_tenancies(session, new)
    for row in rows:
        enqueue(
            session,
            RegistryOutbox,
            TOPIC_REGISTRY_MOVEMENTS,
            row["building_id"],
            _announcement(row),
        )
    MOVEMENT_RECORDS.labels("accepted").inc(len(new))
    MOVEMENT_RECORDS.labels("duplicate").inc(len(records) - len(new))
    return MovementResult(accepted=len(new), duplicates=len(records) - len(new))


def _announcement(row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "record_id",
        "uscc",
        "enterprise_name",
        "building_id",
        "district_id",
        "kind",
        "area_m2",
        "industry_code",
    )
    message = {key: row[key] for key in keys}
    message["date"] = row["date"].isoformat()
    message["received_at"] = row["received_at"].isoformat()
    return message


async def _apply_to_tenancies(session: AsyncSession, records: list[MovementRecord]) -> None:
    """Move each (building, enterprise) pair to the state its latest-dated movement gives."""
    pairs = {(r.building_id, r.uscc) for r in records}
    current = await repository.tenancies(session, pairs)
    state: dict[tuple[str, str], dict[str, Any]] = {
        key: {
            "building_id": t.building_id,
            "uscc": t.uscc,
            "active": t.active,
            "area_m2": t.area_m2,
            "since": t.since,
            "last_movement_on": t.last_movement_on,
            "enterprise_name": t.enterprise_name,
            "industry_code": t.industry_code,
        }
        for key, t in current.items()
    }
    # A stable sort keeps arrival order among movements of the same day.
    for record in sorted(records, key=lambda r: r.date):
        key = (record.building_id, record.uscc)
        previous = state.get(key)
        if previous is not None and record.date < previous["last_movement_on"]:
            continue  # an older movement arriving late does not undo a newer one
        moving_in = record.kind is MovementKind.move_in
        state[key] = {
            "building_id": record.building_id,
            "uscc": record.uscc,
            "active": moving_in,
            "area_m2": record.area_m2 if moving_in else None,
            "since": record.date if moving_in else None,
            "last_movement_on": record.date,
            "enterprise_name": record.enterprise_name,
            # A movement that names no industry keeps the one reported before.
            "industry_code": record.industry_code
            or (previous["industry_code"] if previous else None),
        }
    await repository.upsert_tenancies(session, list(state.values()))


async def list_page(session: AsyncSession, principal: Principal, **filters: Any) -> MovementPage:
    """Movements the caller may see."""
    filters["district_id"] = principal.visible_district(filters.get("district_id"))
    movements, total = await repository.movement_page(session, **filters)
    return MovementPage(
        items=[MovementPublic.model_validate(m, from_attributes=True) for m in movements],
        total=total,
    )


def tenant_view(tenancy: Tenancy) -> TenantPublic:
    """A tenant as the API shows it."""
    code = tenancy.industry_code
    return TenantPublic(
        uscc=tenancy.uscc,
        enterprise_name=tenancy.enterprise_name,
        industry_code=code,
        featured_industry=featured_industry_of(code) if code else None,
        area_m2=tenancy.area_m2,
        since=tenancy.since,
    )


async def tenants(
    session: AsyncSession, principal: Principal, building_id: str
) -> list[TenantPublic]:
    """The enterprises in a building now."""
    building = await buildings.get(session, building_id)
    if building is None:
        raise NotFound(f"No building with id {building_id!r}.")
    principal.ensure_read(building.district_id)
    rows = await repository.current_tenants(session, building_ids=[building_id])
    return [tenant_view(t) for t in rows]
