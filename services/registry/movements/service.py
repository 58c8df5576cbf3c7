"""Rules for movement pushes (all or nothing, idempotent on record_id), corrections and
withdrawals; what they do to tenancies is `tenancy.service`'s."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import TOPIC_REGISTRY_MOVEMENTS, MovementMessage
from services.registry.buildings import repository as buildings
from services.registry.db import RegistryOutbox
from services.registry.metrics import MOVEMENT_RECORDS
from services.registry.movements import repository
from services.registry.movements.models import Movement, MovementVersion
from services.registry.movements.schemas import (
    MovementBase,
    MovementBatch,
    MovementCorrection,
    MovementHistory,
    MovementPage,
    MovementPublic,
    MovementRecord,
    MovementResult,
    MovementVersionPublic,
    MovementWithdrawal,
)
from services.registry.tenancy import service as tenancy
from shared import Conflict, FieldError, Forbidden, NotFound, Principal, ValidationFailed, utcnow
from shared.messaging import enqueue


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


def _check_buildings(
    principal: Principal, records: list[MovementRecord], districts: dict[str, str]
) -> None:
    """Every record names a building that exists, in a district the key may write to."""
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


async def push(session: AsyncSession, principal: Principal, batch: MovementBatch) -> MovementResult:
    """Store a batch of movements: every record or none; resends change nothing."""
    records = batch.records
    hashes = [content_hash(r) for r in records]
    # Record ids are namespaced by the building's district: a district's ids are its own.
    districts, stored = await repository.districts_and_hashes(
        session, ((r.building_id, r.record_id) for r in records)
    )
    _check_buildings(principal, records, districts)
    keys = [(districts[r.building_id], r.record_id) for r in records]
    within = _conflicts_within(records, hashes, districts)
    if within:
        raise Conflict("The batch reuses record ids with different content.", errors=within)
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
    except repository.RecordsTaken as exc:
        raise Conflict(
            "Another push stored some of these record ids at the same moment; send the batch again."
        ) from exc
    await tenancy.apply(session, new)
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


def _announcement(row: dict[str, Any], **version: Any) -> dict[str, Any]:
    """The `sbe.registry.movements.v1` message of a stored movement (and of a later version)."""
    return MovementMessage(
        record_id=row["record_id"],
        uscc=row["uscc"],
        enterprise_name=row["enterprise_name"],
        building_id=row["building_id"],
        district_id=row["district_id"],
        kind=row["kind"],
        date=row["date"],
        area_m2=row["area_m2"],
        industry_code=row["industry_code"],
        received_at=row["received_at"],
        **version,
    ).model_dump(mode="json")


def _record_content(movement: Movement) -> dict[str, Any]:
    return MovementBase.model_validate(movement, from_attributes=True).model_dump(mode="json")


async def _own_record(
    session: AsyncSession, principal: Principal, record_id: str, district_id: str | None
) -> Movement:
    """The record in the caller's namespace (the administrator names the district); 404 when
    the district has no such record, so another district's ids cannot be probed."""
    if principal.district_id is not None and district_id not in (None, principal.district_id):
        raise Forbidden("A district key corrects its own district's records only.")
    namespace = district_id or principal.district_id
    if namespace is None:
        raise ValidationFailed(
            "Name the record's district.",
            errors=[FieldError(field="district_id", message="required for the administrator")],
        )
    principal.ensure_write(namespace)
    movement = await repository.movement(session, namespace, record_id)
    if movement is None:
        raise NotFound(f"No movement record {record_id!r} in {namespace}.")
    return movement


def announce(session: AsyncSession, movement: Movement) -> None:
    """Announce a stored movement record as it stands (its version, withdrawn or not)."""
    row = movement.model_dump()
    enqueue(
        session,
        RegistryOutbox,
        TOPIC_REGISTRY_MOVEMENTS,
        movement.building_id,
        _announcement(row, version=movement.version, withdrawn=movement.withdrawn_at is not None),
    )


def _public(movement: Movement) -> MovementPublic:
    return MovementPublic.model_validate(movement, from_attributes=True)


async def _end_version(
    session: AsyncSession, principal: Principal, movement: Movement, action: str, reason: str
) -> None:
    """Keep what the record says now, and why that version ends (corrected or withdrawn)."""
    await repository.add_version(
        session,
        MovementVersion(
            district_id=movement.district_id,
            record_id=movement.record_id,
            version=movement.version,
            action=action,
            content=orjson.dumps(_record_content(movement)).decode(),
            reason=reason,
            by=principal.name,
        ),
    )


async def correct(
    session: AsyncSession, principal: Principal, data: MovementCorrection
) -> MovementPublic:
    """A new version of one of the caller's records; the earlier one is kept with the reason.
    Tenancies, flows and counts follow the corrected record."""
    movement = await _own_record(session, principal, data.record_id, data.district_id)
    if movement.withdrawn_at is not None:
        raise Conflict(f"Record {data.record_id!r} was withdrawn; it is not corrected.")
    corrected = MovementRecord.model_validate(
        {**data.record.model_dump(), "record_id": movement.record_id}
    )
    building = await buildings.get(session, corrected.building_id)
    if building is None or building.district_id != movement.district_id:
        raise ValidationFailed(
            "The corrected record names no building of the record's district.",
            errors=[
                FieldError(
                    field="record.building_id",
                    message=f"no building {corrected.building_id!r} in {movement.district_id}",
                )
            ],
        )
    digest = content_hash(corrected)
    if digest == movement.content_hash:
        raise Conflict("The correction changes nothing the record says.")
    await _end_version(session, principal, movement, "corrected", data.reason)
    pairs = {(movement.building_id, movement.uscc), (corrected.building_id, corrected.uscc)}
    for field, value in corrected.model_dump(exclude={"record_id"}).items():
        setattr(movement, field, value)
    movement.kind = corrected.kind.value
    movement.content_hash = digest
    movement.version += 1
    movement.pushed_by = principal.key_id
    movement.received_at = utcnow()
    await session.flush()
    await tenancy.rebuild(session, pairs)
    announce(session, movement)
    return _public(movement)


async def withdraw(
    session: AsyncSession, principal: Principal, data: MovementWithdrawal
) -> MovementPublic:
    """Withdraw one of the caller's records: it stays, marked, and no longer counts."""
    movement = await _own_record(session, principal, data.record_id, data.district_id)
    if movement.withdrawn_at is not None:
        raise Conflict(f"Record {data.record_id!r} is already withdrawn.")
    await _end_version(session, principal, movement, "withdrawn", data.reason)
    movement.withdrawn_at = utcnow()
    movement.version += 1  # the withdrawal is the record's latest version: copies follow it
    await session.flush()
    await tenancy.rebuild(session, {(movement.building_id, movement.uscc)})
    announce(session, movement)
    return _public(movement)


async def history(
    session: AsyncSession, principal: Principal, record_id: str, district_id: str | None
) -> MovementHistory:
    """Every version of a record, oldest first (the last is what it says now)."""
    namespace = principal.visible_district(district_id) if district_id else principal.district_id
    if namespace is None:
        raise ValidationFailed(
            "Name the record's district.",
            errors=[FieldError(field="district_id", message="required to find the record")],
        )
    principal.ensure_read(namespace)
    movement = await repository.movement(session, namespace, record_id)
    if movement is None:
        raise NotFound(f"No movement record {record_id!r} in {namespace}.")
    versions = [
        MovementVersionPublic(
            version=v.version,
            record=orjson.loads(v.content),
            ended_by=v.action,
            reason=v.reason,
            by=v.by,
            at=v.at,
        )
        for v in await repository.versions(session, namespace, record_id)
    ]
    if movement.withdrawn_at is None:
        versions.append(
            MovementVersionPublic(
                version=movement.version,
                record=_record_content(movement),
                ended_by=None,
                reason=None,
                by=None,
                at=None,
            )
        )
    return MovementHistory(
        district_id=namespace,
        record_id=record_id,
        withdrawn=movement.withdrawn_at is not None,
        versions=versions,
    )


async def list_page(session: AsyncSession, principal: Principal, **filters: Any) -> MovementPage:
    """Movements the caller may see."""
    filters["district_id"] = principal.visible_district(filters.get("district_id"))
    movements, total = await repository.movement_page(session, **filters)
    names = await buildings.names_and_districts(session, {m.building_id for m in movements})
    items = []
    for movement in movements:
        item = MovementPublic.model_validate(movement, from_attributes=True)
        item.building_name = names.get(movement.building_id, (None, None))[0]
        items.append(item)
    return MovementPage(items=items, total=total)
