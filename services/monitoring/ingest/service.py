"""Ingest rules (CONTRACT §6): every record stored once however often it is delivered; a stored
record replaced only by a later `reported_at` (更正); what cannot be stored set aside with its
reason. The same functions store a Kafka batch and replay dead letters."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.monitoring.buildings.service import BuildingDirectory
from services.monitoring.db import MonitoringOutbox
from services.monitoring.ingest import repository
from services.monitoring.ingest.models import OccupancyRecord, TaxRecord
from services.monitoring.ingest.schemas import DeadLetterReason, OccupancyMessage, TaxMessage
from shared import TOPIC_DEADLETTER, TOPIC_OCCUPANCY, TOPIC_TAX, enqueue, utcnow

Outcome = str  # stored | duplicate | corrected | deadletter


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A message as it came off the broker."""

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
    for message in messages:
        model = OccupancyMessage if message.topic == TOPIC_OCCUPANCY else TaxMessage
        try:
            record = model.model_validate_json(message.value)
        except ValidationError as exc:
            reason, detail = _describe(exc)
            rejected.append(Rejected(message, reason, detail))
            continue
        parsed.append((message, record))
        (occupancy if isinstance(record, OccupancyMessage) else tax).append(record)  # type: ignore[arg-type]
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


def _year(period: str) -> int:
    return int(period[:4])


class _TaxDeltas:
    """Exact integer changes to the tax rollups a batch makes."""

    def __init__(self) -> None:
        self.months: dict[tuple[str, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
        self.years: dict[tuple[str, int], int] = defaultdict(int)
        self.enterprises: dict[tuple[str, str, int], int] = defaultdict(int)

    def add(self, building_id: str, period: str, uscc: str | None, cents: int, sign: int) -> None:
        old_cents, old_count = self.months[(building_id, period)]
        self.months[(building_id, period)] = (old_cents + sign * cents, old_count + sign)
        self.years[(building_id, _year(period))] += sign * cents
        if uscc is not None:
            self.enterprises[(building_id, uscc, _year(period))] += sign * cents


async def store_tax(session: AsyncSession, records: list[TaxMessage], report: IngestReport) -> None:
    """Store new tax records, apply corrections, keep the rollups exact."""
    latest = _latest_per_record(records, TOPIC_TAX, report)
    stored = await repository.stored_tax(session, list(latest))
    fresh: list[dict[str, Any]] = []
    corrected: list[dict[str, Any]] = []
    deltas = _TaxDeltas()
    for record_id, record in latest.items():
        previous = stored.get(record_id)
        if previous is not None and record.reported_at <= previous.reported_at:
            report.outcomes[(TOPIC_TAX, "duplicate")] += 1
            continue
        row = {
            "record_id": record_id,
            "building_id": record.building_id,
            "period": record.period,
            "uscc": record.uscc,
            "amount_cents": record.amount_cents,
            "reported_at": record.reported_at,
        }
        if previous is None:
            fresh.append(row)
            report.outcomes[(TOPIC_TAX, "stored")] += 1
        else:
            corrected.append(row)
            report.outcomes[(TOPIC_TAX, "corrected")] += 1
            deltas.add(
                previous.building_id, previous.period, previous.uscc, previous.amount_cents, -1
            )
            report.changed.add((previous.building_id, previous.period))
        deltas.add(record.building_id, record.period, record.uscc, record.amount_cents, +1)
        report.changed.add((record.building_id, record.period))
    await repository.insert_rows(session, TaxRecord, fresh)
    await repository.replace_rows(session, TaxRecord, corrected)
    await repository.add_month_tax(session, deltas.months)
    await repository.add_year_tax(session, deltas.years)
    await repository.add_enterprise_tax(session, deltas.enterprises)


async def store_occupancy(
    session: AsyncSession, records: list[OccupancyMessage], report: IngestReport
) -> None:
    """Store new occupancy reports and corrections; a month shows its latest report."""
    latest = _latest_per_record(records, TOPIC_OCCUPANCY, report)
    stored = await repository.stored_occupancy(session, list(latest))
    fresh: list[dict[str, Any]] = []
    corrected: list[dict[str, Any]] = []
    vacated: set[tuple[str, str]] = set()
    for record_id, record in latest.items():
        previous = stored.get(record_id)
        if previous is not None and record.reported_at <= previous.reported_at:
            report.outcomes[(TOPIC_OCCUPANCY, "duplicate")] += 1
            continue
        row = {"record_id": record_id, **record.model_dump(exclude={"record_id"})}
        if previous is None:
            fresh.append(row)
            report.outcomes[(TOPIC_OCCUPANCY, "stored")] += 1
        else:
            corrected.append(row)
            report.outcomes[(TOPIC_OCCUPANCY, "corrected")] += 1
            if (previous.building_id, previous.period) != (record.building_id, record.period):
                vacated.add((previous.building_id, previous.period))
        report.changed.add((record.building_id, record.period))
    await repository.insert_rows(session, OccupancyRecord, fresh)
    await repository.replace_rows(session, OccupancyRecord, corrected)
    await repository.offer_occupancy(
        session,
        [
            {
                "building_id": row["building_id"],
                "period": row["period"],
                "leasable_area_m2": row["leasable_area_m2"],
                "occupied_area_m2": row["occupied_area_m2"],
                "enterprise_count": row["enterprise_count"],
                "occupancy_reported_at": row["reported_at"],
            }
            for row in sorted(fresh + corrected, key=lambda r: r["reported_at"])
        ],
    )
    if vacated:
        await repository.recompute_occupancy(session, vacated)
        report.changed |= vacated


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
    await store_tax(session, tax, report)
    await store_occupancy(session, occupancy, report)
    if report.changed:
        await repository.mark_changed(session, report.changed, utcnow())
    for rejected in report.rejected:
        report.outcomes[(rejected.message.topic, "deadletter")] += 1
    return report


def dead_letter_message(rejected: Rejected, at: datetime) -> dict[str, Any]:
    """What `sbe.deadletter.v1` carries: the original bytes, where they came from, and why."""
    message = rejected.message
    envelope: dict[str, Any] = {
        "topic": message.topic,
        "partition": message.partition,
        "offset": message.offset,
        "key": message.key.decode("utf-8", "replace") if message.key is not None else None,
        "value_base64": base64.b64encode(message.value).decode(),
        "reason": rejected.reason.value,
        "detail": rejected.detail,
        "dead_lettered_at": at.isoformat(),
    }
    return envelope


async def set_aside(session: AsyncSession, rejected: list[Rejected]) -> None:
    """Keep rejected messages (for replay) and announce each once on the dead-letter topic."""
    now = utcnow()
    rows = [
        {
            "topic": item.message.topic,
            "partition": item.message.partition,
            "offset": item.message.offset,
            "key": item.message.key,
            "value": item.message.value,
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
            key = item.message.key.decode("utf-8", "replace") if item.message.key else ""
            enqueue(
                session, MonitoringOutbox, TOPIC_DEADLETTER, key, dead_letter_message(item, now)
            )
