"""The audit trail off the hot path: entries are buffered and written in batches every second."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from gateway.keys import repository
from gateway.metrics import AUDIT_DROPPED, AUDIT_WRITTEN
from shared import Database, Principal

logger = logging.getLogger("sbe.gateway.audit")


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
    ) -> None:
        """Queue one entry (never blocks, never fails the request)."""
        if len(self._buffer) >= self.max_buffer:
            AUDIT_DROPPED.inc()
            return
        self._buffer.append(
            {
                "at": at,
                "key_id": principal.key_id if principal else None,
                "role": principal.role.value if principal else None,
                "district_id": principal.district_id if principal else None,
                "method": method,
                "path": path[:500],
                "query": query[:500],
                "status": status,
                "request_id": request_id,
                "client_ip": client_ip[:64],
                "duration_ms": round(duration_ms, 3),
            }
        )

    async def flush(self) -> None:
        """Store what is buffered; on failure keep it for the next attempt."""
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        try:
            async with self.database.unit_of_work() as session:
                await repository.add_audit_entries(session, batch)
        except Exception:
            logger.warning("audit flush failed; keeping %d entries", len(batch), exc_info=True)
            room = max(self.max_buffer - len(self._buffer), 0)
            AUDIT_DROPPED.inc(max(len(batch) - room, 0))
            self._buffer = batch[:room] + self._buffer
            return
        AUDIT_WRITTEN.inc(len(batch))

    async def run(self) -> None:
        """Flush every `flush_seconds` until cancelled, then once more."""
        try:
            while True:
                await asyncio.sleep(self.flush_seconds)
                await self.flush()
        finally:
            await asyncio.shield(self.flush())
