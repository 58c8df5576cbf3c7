"""Dead letters: what `sbe.deadletter.v1` carries for a message that cannot be stored, and the
rule that tells a poison message from a passing fault.

A dead-letter envelope must always be publishable, whatever came in: the original value travels
as at most its first `ENVELOPE_VALUE_BYTES` bytes, beside its full length and SHA-256, so an
oversized message cannot make its own dead letter too big for the broker.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from kafka import KafkaProducer
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.kafka import create_producer
from shared.logging import safe_error_text
from shared.types import utcnow

TOPIC_DEADLETTER = "sbe.deadletter.v1"


class DeadLetterMessage(BaseModel):
    """`sbe.deadletter.v1`, keyed by the original key: a message that could not be stored, with
    its original bytes (the first 64 KiB), where it came from and why."""

    model_config = ConfigDict(extra="allow", frozen=True)

    topic: str = Field(description="Source topic.")
    partition: int = Field(description="Source partition.")
    offset: int = Field(description="Offset in the partition.")
    key: str | None = Field(description="The original key.")
    value_base64: str = Field(description="The original bytes (their first 64 KiB), base64.")
    value_length: int = Field(description="Length of the original value.")
    value_sha256: str = Field(description="SHA-256 of the whole original value.")
    value_truncated: bool = Field(description="Longer than what value_base64 holds.")
    reason: str = Field(
        description="unparseable, schema_violation, unknown_building, oversized or unstorable."
    )
    detail: str = Field(description="What exactly was wrong.")
    dead_lettered_at: AwareDatetime = Field(description="When it was set aside.")


logger = logging.getLogger("sbe.deadletters")

ENVELOPE_VALUE_BYTES = 64 * 1024
DETAIL_CHARS = 1000


class TransientError(Exception):
    """A failure of something the platform depends on (a peer service, the broker), not of the
    message: the batch is retried later, never dead-lettered for it."""


def is_transient(error: BaseException) -> bool:
    """True when `error` (or what caused it) is a passing fault: retry, do not blame the data.

    Connection failures, timeouts and the database going away are transient; everything else
    (a value PostgreSQL refuses, a malformed message) is the message's fault and will fail
    again however often it is retried.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(
            current,
            TransientError
            | OSError
            | TimeoutError
            | ConnectionError
            | OperationalError
            | InterfaceError
            | DisconnectionError
            | PoolTimeout,
        ):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        # asyncpg's connection-level errors (terminated backend, server shutting down) carry
        # SQLSTATE class 08 (connection), 53 (resources) or 57 (operator intervention); class
        # 40 (a deadlock, a serialization failure) rolled the transaction back through no fault
        # of the data: the same work succeeds when it is done again.
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate[:2] in ("08", "40", "53", "57"):
            return True
        current = current.__cause__ or current.__context__
    return False


def describe_failure(error: BaseException) -> str:
    """A dead letter's detail for a record that could not be stored: the error's kind and, for
    a database error, its SQLSTATE in words; never the statement, its parameters or the
    database's own message (they may quote an enterprise's tax, 税收保密)."""
    original = getattr(error, "orig", None) or error
    lines = safe_error_text(error).split(" [SQL:")[0].splitlines()
    return f"{type(original).__name__}: {lines[0] if lines else ''}"[:DETAIL_CHARS]


@dataclass(frozen=True, slots=True)
class Letter:
    """A message that cannot be stored, where it came from, and why."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    reason: str
    detail: str


def envelope(letter: Letter, at: datetime) -> dict[str, Any]:
    """The dead-letter message: the original bytes (their first 64 KiB), origin and reason."""
    value = letter.value or b""
    return DeadLetterMessage(
        topic=letter.topic,
        partition=letter.partition,
        offset=letter.offset,
        key=letter.key.decode("utf-8", "replace")[:200] if letter.key is not None else None,
        value_base64=base64.b64encode(value[:ENVELOPE_VALUE_BYTES]).decode(),
        value_length=len(value),
        value_sha256=hashlib.sha256(value).hexdigest(),
        value_truncated=len(value) > ENVELOPE_VALUE_BYTES,
        reason=letter.reason,
        detail=letter.detail[:DETAIL_CHARS],
        dead_lettered_at=at,
    ).model_dump(mode="json")


class KafkaDeadLetters:
    """Publishes dead letters straight to `sbe.deadletter.v1`, for consumers whose service keeps
    no dead-letter table: the consumer commits past a poison message only once its dead letter
    is acknowledged by the broker, so nothing is lost between the two."""

    def __init__(self, bootstrap: str, service: str) -> None:
        self.bootstrap = bootstrap
        self.service = service
        self._producer: KafkaProducer | None = None

    async def __call__(self, letters: list[Letter]) -> None:
        await asyncio.to_thread(self._publish, letters)

    def _publish(self, letters: list[Letter]) -> None:
        if self._producer is None:
            self._producer = create_producer(self.bootstrap, client_id=f"sbe-{self.service}-dlq")
        now = utcnow()
        futures = [
            self._producer.send(
                TOPIC_DEADLETTER,
                key=(letter.key or b"")[:200],
                value=orjson.dumps(envelope(letter, now)),
            )
            for letter in letters
        ]
        self._producer.flush(timeout=15)
        for future in futures:
            future.get(timeout=15)
        for letter in letters:
            logger.error(
                "%s: set aside a message of %s at %s[%d]: %s",
                self.service,
                letter.topic,
                letter.partition,
                letter.offset,
                letter.reason,
                extra={"detail": letter.detail[:200]},
            )

    def close(self) -> None:
        """Close the producer (at shutdown)."""
        if self._producer is not None:
            self._producer.close(2)
            self._producer = None
