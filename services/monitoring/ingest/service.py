"""Ingest rules: every record stored once however often it is delivered; a stored
record replaced only by a later `reported_at` (更正); what cannot be stored set aside with its
reason. The same functions store a Kafka batch and replay dead letters."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from policy import MAX_MESSAGE_BYTES, TOPIC_OCCUPANCY, TOPIC_TAX, OccupancyMessage, TaxMessage
from services.monitoring.buildings.service import BuildingDirectory
from services.monitoring.db import MonitoringOutbox
from services.monitoring.ingest import repository
from services.monitoring.ingest.models import OccupancyRecord, TaxRecord
from services.monitoring.ingest.schemas import DeadLetterReason
from shared import utcnow
from shared.messaging import ENVELOPE_VALUE_BYTES, TOPIC_DEADLETTER, Letter, enqueue, envelope

Outcome = str  # stored | duplicate | corrected | deadletter


class RawMessage(NamedTuple):
    """A message as it came off the broker (kafka-python's ConsumerRecord has the same fields,
    so a polled batch is ingested as it is)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


@dataclass(frozen=True, slots=True)
class Rejected:
    """A message that cannot be stored, and why."""

    message: RawMessage
    reason: DeadLetterReason
    detail: str


@dataclass
class IngestReport:
    """What a batch did: outcomes per topic, what was set aside, which months changed."""

    outcomes: Counter[tuple[str, Outcome]] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    changed: set[tuple[str, str]] = field(default_factory=set)


def _describe(error: ValidationError) -> tuple[DeadLetterReason, str]:
    problems = error.errors(include_url=False)
    if any(p["type"] in ("json_invalid", "json_type") for p in problems):
        return DeadLetterReason.unparseable, "not UTF-8 encoded JSON"
    parts = []
    for problem in problems[:5]:
        where = ".".join(str(p) for p in problem["loc"]) or "message"
        message = "unknown field" if problem["type"] == "extra_forbidden" else problem["msg"]
        parts.append(f"{where}: {str(message).removeprefix('Value error, ')}")
    return DeadLetterReason.schema_violation, "; ".join(parts)[:1000]


def decode(
    messages: Iterable[RawMessage],
) -> tuple[list[OccupancyMessage], list[TaxMessage], list[tuple[RawMessage, Any]], list[Rejected]]:
    """Parse and validate; returns occupancy, tax, (message, parsed) pairs and the rejected."""
    occupancy: list[OccupancyMessage] = []
    tax: list[TaxMessage] = []
    parsed: list[tuple[RawMessage, Any]] = []
    rejected: list[Rejected] = []
    validate_tax = TaxMessage.model_validate_json
    validate_occupancy = OccupancyMessage.model_validate_json
    for message in messages:
        if len(message.value) > MAX_MESSAGE_BYTES:
            detail = f"{len(message.value)} bytes, over the {MAX_MESSAGE_BYTES}-byte limit"
            rejected.append(Rejected(message, DeadLetterReason.oversized, detail))
            continue
        try:
            if message.topic == TOPIC_OCCUPANCY:
                occupancy_record = validate_occupancy(message.value)
                occupancy.append(occupancy_record)
                parsed.append((message, occupancy_record))
            else:
                tax_record = validate_tax(message.value)
                tax.append(tax_record)
                parsed.append((message, tax_record))
        except ValidationError as exc:
            reason, detail = _describe(exc)
            rejected.append(Rejected(message, reason, detail))
    return occupancy, tax, parsed, rejected


def _latest_per_record(records: list[Any], topic: str, report: IngestReport) -> dict[str, Any]:
    """One record per record id: the latest report wins, the others are duplicates."""
    latest: dict[str, Any] = {}
    for record in records:
        current = latest.get(record.record_id)
        if current is None or record.reported_at > current.reported_at:
            if current is not None:
                report.outcomes[(topic, "duplicate")] += 1
            latest[record.record_id] = record
        else:
            report.outcomes[(topic, "duplicate")] += 1
    return latest


class TaxRow(NamedTuple):
    """A tax record as stored (its columns, in table order)."""

    record_id: str
    building_id: str
    period: str
    uscc: str | None
    amount_cents: int
    reported_at: datetime


class _TaxDeltas:
    """Exact integer changes to the tax rollups a batch makes."""

    def __init__(self) -> None:
        self.months: dict[tuple[str, str], tuple[int, int]] = {}
        self.years: dict[tuple[str, int], int] = defaultdict(int)
        self.enterprises: dict[tuple[str, str, int], int] = defaultdict(int)

    def add(self, building_id: str, period: str, uscc: str | None, cents: int, sign: int) -> None:
        key = (building_id, period)
        old_cents, old_count = self.months.get(key, (0, 0))
        self.months[key] = (old_cents + sign * cents, old_count + sign)
        year = int(period[:4])
        self.years[(building_id, year)] += sign * cents
        if uscc is not None:
            self.enterprises[(building_id, uscc, year)] += sign * cents


# Storing a batch is planned first (what is new, what is corrected, which months change), then
# written: the change marks before any rollup. The figures worker holds the marks it handles
# while it writes building-years, so an ingest that held building-years while it waited for a
# mark would deadlock with it.
Writes = Callable[[], Awaitable[None]]


async def plan_tax(
    session: AsyncSession, records: list[TaxMessage], report: IngestReport
) -> Writes:
    """Plan the storing of new tax records and corrections, with rollups kept exact."""
    latest = _latest_per_record(records, TOPIC_TAX, report)
    stored = await repository.stored_tax(session, list(latest))
    fresh: list[TaxRow] = []
    corrected: list[TaxRow] = []
    duplicates = 0
    deltas = _TaxDeltas()
    for record_id, record in latest.items():
        previous = stored.get(record_id)
        if previous is not None and record.reported_at <= previous.reported_at:
            duplicates += 1
            continue
        row = TaxRow(
            record_id,
            record.building_id,
            record.period,
            record.uscc,
            record.amount_cents,
            record.reported_at,
        )
        if previous is None:
            fresh.append(row)
        else:
            corrected.append(row)
            deltas.add(
                previous.building_id, previous.period, previous.uscc, previous.amount_cents, -1
            )
            report.changed.add((previous.building_id, previous.period))
        deltas.add(row.building_id, row.period, row.uscc, row.amount_cents, +1)
    report.changed.update(deltas.months)
    report.outcomes[(TOPIC_TAX, "stored")] += len(fresh)
    report.outcomes[(TOPIC_TAX, "corrected")] += len(corrected)
    report.outcomes[(TOPIC_TAX, "duplicate")] += duplicates

    async def write() -> None:
        await repository.insert_rows(session, TaxRecord, fresh)
        await repository.replace_rows(session, TaxRecord, [r._asdict() for r in corrected])
        await repository.add_month_tax(session, deltas.months)
        await repository.add_year_tax(session, deltas.years)
        await repository.add_enterprise_tax(session, deltas.enterprises)

    return write


class OccupancyRow(NamedTuple):
    """An occupancy report as stored."""

    record_id: str
    building_id: str
    period: str
    leasable_area_m2: float
    occupied_area_m2: float
    enterprise_count: int
    reported_at: datetime


async def plan_occupancy(
    session: AsyncSession, records: list[OccupancyMessage], report: IngestReport
) -> Writes:
    """Plan the storing of new occupancy reports and corrections; a month shows its latest."""
    latest = _latest_per_record(records, TOPIC_OCCUPANCY, report)
    stored = await repository.stored_occupancy(session, list(latest))
    fresh: list[OccupancyRow] = []
    corrected: list[OccupancyRow] = []
    vacated: set[tuple[str, str]] = set()
    for record_id, record in latest.items():
        previous = stored.get(record_id)
        if previous is not None and record.reported_at <= previous.reported_at:
            report.outcomes[(TOPIC_OCCUPANCY, "duplicate")] += 1
            continue
        row = OccupancyRow(
            record_id,
            record.building_id,
            record.period,
            record.leasable_area_m2,
            record.occupied_area_m2,
            record.enterprise_count,
            record.reported_at,
        )
        if previous is None:
            fresh.append(row)
        else:
            corrected.append(row)
            if (previous.building_id, previous.period) != (row.building_id, row.period):
                vacated.add((previous.building_id, previous.period))
        report.changed.add((row.building_id, row.period))
    report.changed |= vacated
    report.outcomes[(TOPIC_OCCUPANCY, "stored")] += len(fresh)
    report.outcomes[(TOPIC_OCCUPANCY, "corrected")] += len(corrected)

    async def write() -> None:
        await repository.insert_rows(session, OccupancyRecord, fresh)
        await repository.replace_rows(session, OccupancyRecord, [r._asdict() for r in corrected])
        await repository.offer_occupancy(
            session,
            [
                {
                    "building_id": row.building_id,
                    "period": row.period,
                    "leasable_area_m2": row.leasable_area_m2,
                    "occupied_area_m2": row.occupied_area_m2,
                    "enterprise_count": row.enterprise_count,
                    "occupancy_reported_at": row.reported_at,
                }
                for row in sorted(
                    fresh + corrected, key=lambda r: (r.building_id, r.period, r.reported_at)
                )
            ],
        )
        if vacated:
            await repository.recompute_occupancy(session, vacated)

    return write


async def ingest(
    session: AsyncSession, messages: list[RawMessage], directory: BuildingDirectory
) -> IngestReport:
    """Store one batch in the session's transaction; returns what happened to each message."""
    report = IngestReport()
    occupancy, tax, parsed, report.rejected = decode(messages)
    unknown = await directory.unknown_among({record.building_id for _, record in parsed})
    if unknown:
        for message, record in parsed:
            if record.building_id in unknown:
                report.rejected.append(
                    Rejected(
                        message,
                        DeadLetterReason.unknown_building,
                        f"building {record.building_id!r} is not known to the registry",
                    )
                )
        occupancy = [r for r in occupancy if r.building_id not in unknown]
        tax = [r for r in tax if r.building_id not in unknown]
    writes = [
        await plan_tax(session, tax, report),
        await plan_occupancy(session, occupancy, report),
    ]
    if report.changed:
        await repository.mark_changed(session, report.changed, utcnow())
    for write in writes:
        await write()
    for rejected in report.rejected:
        report.outcomes[(rejected.message.topic, "deadletter")] += 1
    return report


def _letter(rejected: Rejected) -> Letter:
    message = rejected.message
    return Letter(
        message.topic,
        message.partition,
        message.offset,
        message.key,
        message.value,
        rejected.reason.value,
        rejected.detail,
    )


async def set_aside(session: AsyncSession, rejected: list[Rejected]) -> None:
    """Keep rejected messages (for replay) and announce each once on the dead-letter topic.

    An oversized message is kept as its first 64 KiB, beside the SHA-256 of all of it: enough to
    recognise it, and never more than the table and the dead-letter topic can carry.
    """
    now = utcnow()
    rows = [
        {
            "topic": item.message.topic,
            "partition": item.message.partition,
            "offset": item.message.offset,
            "key": item.message.key[:200] if item.message.key is not None else None,
            "value": item.message.value[:ENVELOPE_VALUE_BYTES],
            "digest": hashlib.sha256(item.message.value).hexdigest(),
            "reason": item.reason.value,
            "detail": item.detail,
            "received_at": now,
        }
        for item in rejected
    ]
    inserted = await repository.insert_dead_letters(session, rows)
    for item, row in zip(rejected, rows, strict=True):
        if (row["topic"], row["partition"], row["offset"], row["digest"]) in inserted:
            key = item.message.key.decode("utf-8", "replace")[:200] if item.message.key else ""
            enqueue(session, MonitoringOutbox, TOPIC_DEADLETTER, key, envelope(_letter(item), now))
