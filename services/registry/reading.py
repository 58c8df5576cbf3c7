"""The registry's hottest read, one building by id, kept fast in the registry's own room.

A building read is the call district systems and the console make most. Through the ordinary
path (a session, the ORM, SQLAlchemy's pool) it cost several times a bare FastAPI endpoint doing
the same query; what makes it cheap lives here, and only the building read uses it:
- `Prepared`: the statement compiled once, run on PostgreSQL as asyncpg's own prepared statement;
- `DriverPool`: asyncpg's own small pool beside the engine's, with no reset query on release;
- `ReaderDep`: the caller and these reads as one dependency (each dependency costs FastAPI's
  resolution on the hottest path).
`benchmarks/http.py` measures the read against the bare endpoint; the README has the figures."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy.engine import make_url

from shared import Database, Principal, get_principal
from shared.ops import DatabaseTarget


@dataclass
class FastReads:
    """The registry's database and, on PostgreSQL, the driver's own pool for Prepared reads:
    opened in the registry's lifespan, closed there."""

    database: Database
    pool: DriverPool | None

    @classmethod
    def open(cls, database: Database, pool_size: int) -> FastReads:
        target = database.target
        return cls(
            database, DriverPool(target, max(2, pool_size // 2)) if target.is_postgres else None
        )

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()


class DriverPool:
    """asyncpg's own pool beside the engine's, opened on first use, for the hottest reads (see
    Prepared): a one-row read outside a transaction then costs the statement and little more,
    where a connection through the engine's pool costs SQLAlchemy's checkout, its events and
    its return. The statements run here leave nothing on the connection (no transaction, no
    setting, no cursor, no lock), so a connection goes back without asyncpg's reset query (a
    round trip per release)."""

    def __init__(self, target: DatabaseTarget, size: int) -> None:
        url = make_url(target.url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._schema = target.schema or "public"
        self._size = size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        pool = self._pool or await self._open()
        return await pool.fetchrow(sql, *args)

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=1,
                    max_size=self._size,
                    reset=_nothing_to_reset,
                    server_settings={
                        "search_path": self._schema,
                        "application_name": f"sbe-{self._schema}-reads",
                    },
                    timeout=10,
                )
            return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


async def _nothing_to_reset(_connection: asyncpg.Connection) -> None:
    """Prepared reads change no session state (asyncpg still rolls back a transaction left
    open before calling this)."""


class Prepared:
    """A hot one-row read of committed data, outside any transaction, compiled once. On
    PostgreSQL it runs as asyncpg's own prepared statement on the registry's DriverPool, past
    SQLAlchemy's session, pool and execution machinery (the ORM compile state, the cache-key
    lookup, parameter and result processing: most of what a one-row read costs in Python);
    elsewhere through Core in a reading session. Its columns must need no result processing:
    text, numbers, dates, booleans and timestamptz (which asyncpg already returns aware, in
    UTC). It sees what any read outside a transaction sees: what was committed before it ran."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._postgres: tuple[str, tuple[str, ...]] | None = None

    async def first(self, reads: FastReads, **params: Any) -> dict[str, Any] | None:
        if reads.pool is None:
            async with reads.database.reading() as session:
                connection = await session.connection()
                row = (await connection.execute(self.statement, params)).mappings().first()
            return dict(row) if row is not None else None
        sql, names = self._postgres or self._compile(reads.database, params)
        record = await reads.pool.fetchrow(sql, *[params[name] for name in names])
        return dict(record.items()) if record is not None else None

    def _compile(
        self, database: Database, params: Mapping[str, Any]
    ) -> tuple[str, tuple[str, ...]]:
        # Rendered with the statement's own constants written in (a separator, say): what is
        # left are the caller's parameters, whose values never change the text.
        compiled = self.statement.compile(dialect=database.engine.dialect)
        expanded = compiled.construct_expanded_state(dict(params))
        self._postgres = (expanded.statement, tuple(expanded.positiontup or ()))
        return self._postgres


@dataclass(frozen=True, slots=True)
class Reader:
    """The caller and the fast reads, for a route whose whole answer is one Prepared read: no
    session to open and close around it, and one dependency where two would each cost
    FastAPI's resolution on the hottest path. Any caller the gateway vouched for; the service
    holds the district line (`Principal.ensure_read`)."""

    reads: FastReads
    principal: Principal


async def _reader(request: Request) -> Reader:
    return Reader(request.app.state.fast_reads, await get_principal(request))


ReaderDep = Annotated[Reader, Depends(_reader)]
