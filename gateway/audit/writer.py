"""The audit trail off the hot path: entries are buffered and written in batches every second.

Whatever a client sends, its entry can be stored: method, path and query are reduced to
printable text within their columns before they are buffered (a NUL byte or an unknown
eleven-letter method once made every later batch fail). Secrets never reach it: `key` and
`token` query parameters are replaced by `[redacted]`. A batch the database still refuses is
split until the entry at fault is found; that entry is logged without its content and counted,
the others are stored. Only a database that is away keeps entries for the next attempt.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from gateway.audit import repository
from gateway.metrics import AUDIT_DROPPED, AUDIT_REJECTED, AUDIT_WRITTEN
from shared import Database, Principal
from shared.messaging import is_transient

logger = logging.getLogger("sbe.gateway.audit")

SECRET_PARAMS = frozenset({"key", "token"})
REDACTED = "[redacted]"
METHOD_CHARS = 10
PATH_CHARS = 500
QUERY_CHARS = 500


def printable(text: str, limit: int) -> str:
    """`text` with every unprintable character escaped (`\\x00`), cut to `limit` characters."""
    if text.isprintable() and len(text) <= limit:
        return text
    escaped = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return escaped[:limit]


def redact_query(query: str) -> str:
    """The query string with the values of secret-bearing parameters replaced."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name in SECRET_PARAMS for name, _ in pairs):
        return query
    return urlencode([(n, REDACTED if n in SECRET_PARAMS else v) for n, v in pairs])


class AuditWriter:
    """Collects audit entries and stores them in batches; bounded, so a database outage cannot
    exhaust memory (what overflows is counted in `sbe_gateway_audit_dropped_total`)."""

    def __init__(
        self, database: Database, *, flush_seconds: float, max_buffer: int = 100_000
    ) -> None:
        self.database = database
        self.flush_seconds = flush_seconds
        self.max_buffer = max_buffer
        self._buffer: list[dict[str, Any]] = []

    def record(
        self,
        *,
        at: datetime,
        principal: Principal | None,
        method: str,
        path: str,
        query: str,
        status: int,
        request_id: str,
        client_ip: str,
        duration_ms: float,
        event: str | None = None,
        username: str | None = None,
    ) -> None:
        """Queue one entry (never blocks, never fails the request). A person's entry names the
        person (`user_id`, `username`); a key's names the key."""
        if len(self._buffer) >= self.max_buffer:
            AUDIT_DROPPED.inc()
            return
        person = principal.user if principal is not None else None
        name = printable(person or username or "", 64) or None
        self._buffer.append(
            {
                "at": at,
                "event": event,
                "user_id": principal.key_id if principal is not None and person else None,
                "username": name,
                "key_id": principal.key_id if principal is not None and not person else None,
                "role": principal.role.value if principal else None,
                "district_id": principal.district_id if principal else None,
                "method": printable(method, METHOD_CHARS),
                "path": printable(path, PATH_CHARS),
                "query": printable(redact_query(query), QUERY_CHARS),
                "status": status,
                "request_id": request_id[:128],
                "client_ip": printable(client_ip, 64),
                "duration_ms": round(duration_ms, 3),
            }
        )

    async def flush(self) -> None:
        """Store what is buffered; keep it for the next attempt only while the database is away."""
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        try:
            await self._store(batch)
        except Exception as error:
            if not is_transient(error):
                await self._isolate(batch)
                return
            logger.warning("audit flush failed; keeping %d entries", len(batch), exc_info=True)
            room = max(self.max_buffer - len(self._buffer), 0)
            AUDIT_DROPPED.inc(max(len(batch) - room, 0))
            self._buffer = batch[:room] + self._buffer

    async def _store(self, batch: list[dict[str, Any]]) -> None:
        async with self.database.unit_of_work() as session:
            await repository.add_audit_entries(session, batch)
        AUDIT_WRITTEN.inc(len(batch))

    async def _isolate(self, batch: list[dict[str, Any]]) -> None:
        """Store the entries the database takes; log and count the ones it refuses."""
        if len(batch) == 1:
            entry = batch[0]
            AUDIT_REJECTED.inc()
            logger.error(
                "the database refused an audit entry; it is dropped",
                extra={
                    "method": entry["method"],
                    "status": entry["status"],
                    "key_id": entry["key_id"],
                    "audited_request_id": entry["request_id"],
                },
            )
            return
        middle = len(batch) // 2
        for half in (batch[:middle], batch[middle:]):
            try:
                await self._store(half)
            except Exception as error:
                if is_transient(error):
                    self._buffer = half + self._buffer
                    continue
                await self._isolate(half)

    async def run(self) -> None:
        """Flush every `flush_seconds` until cancelled, then once more."""
        try:
            while True:
                await asyncio.sleep(self.flush_seconds)
                await self.flush()
        finally:
            await asyncio.shield(self.flush())
