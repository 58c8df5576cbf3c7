"""One async engine per service: its own PostgreSQL schema, or its own SQLite file by default."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel.ext.asyncio.session import AsyncSession

from shared.settings import BaseServiceSettings


@dataclass(frozen=True)
class DatabaseTarget:
    """Where a service's tables live: a URL and, for PostgreSQL, the schema."""

    url: str
    schema: str | None

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")


def database_target(settings: BaseServiceSettings, service: str) -> DatabaseTarget:
    """PostgreSQL schema `service` when SBE_DATABASE_URL is set, else `<data_dir>/<service>.db`."""
    if settings.database_url:
        return DatabaseTarget(settings.database_url, service)
    path = Path(settings.data_dir).resolve() / f"{service}.db"
    return DatabaseTarget(f"sqlite+aiosqlite:///{path}", None)


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the single writer; busy_timeout waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(target: DatabaseTarget, *, pool_size: int = 20) -> AsyncEngine:
    """An async engine bound to the service's schema (search_path) or SQLite file."""
    if target.is_postgres:
        return create_async_engine(
            target.url,
            # Errors and logs name the statement, never its values: they may carry a USCC or
            # an enterprise's tax (税收保密).
            hide_parameters=True,
            pool_size=pool_size,
            max_overflow=max(1, pool_size // 2),
            # No ping before each checkout (a round trip per request): a connection the server
            # dropped fails its statement, is discarded by the pool, and the request is retried
            # by its caller; pool_recycle retires connections before idle timeouts do.
            pool_recycle=1800,
            connect_args={
                "server_settings": {
                    "search_path": target.schema or "public",
                    "application_name": f"sbe-{target.schema}",
                },
                "timeout": 10,
            },
        )
    Path(make_url(target.url).database or ".").parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(target.url, hide_parameters=True, connect_args={"timeout": 30})
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


# Set in a session's info by whoever leaves writes to be made at commit (the outbox does).
PENDING_WRITES = "sbe_pending_writes"
_AFTER_COMMIT = "sbe_after_commit"


def after_commit(session: AsyncSession, action: Callable[[], Awaitable[None]]) -> None:
    """Run `action` once the session's work is committed (never if it is rolled back): what
    must not happen before the data is durable, such as telling every gateway replica to forget
    a revoked key (forgetting first would let a concurrent request cache the old row again)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


async def _run_after_commit(session: AsyncSession) -> None:
    for action in session.info.pop(_AFTER_COMMIT, ()):
        await action()


@dataclass
class Database:
    """An engine and the sessionmaker built on it, made in a lifespan and disposed there."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    target: DatabaseTarget
    # Reads outside a transaction: each statement on its own, no BEGIN and no COMMIT around
    # them (two round trips fewer per request; what a read sees is committed data either way).
    readers: async_sessionmaker[AsyncSession]

    @classmethod
    def open(cls, target: DatabaseTarget, *, pool_size: int = 20) -> Database:
        engine = create_engine(target, pool_size=pool_size)
        maker = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        readers = async_sessionmaker(
            engine.execution_options(isolation_level="AUTOCOMMIT"),
            class_=AsyncSession,
            expire_on_commit=False,
        )
        return cls(engine, maker, target, readers)

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            await _run_after_commit(session)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads: every statement runs on its own (autocommit). Should a read
        leave something behind (an object added, an outbox message), the closing commit still
        flushes it; under autocommit that sends no COMMIT of its own."""
        session = self.readers()
        try:
            yield session
            if session.new or session.dirty or session.deleted or PENDING_WRITES in session.info:
                await session.commit()
            await _run_after_commit(session)
        finally:
            # A session that never took a connection holds nothing to give back: closing it
            # would still cost a task and a greenlet.
            if session.in_transaction():
                await asyncio.shield(session.close())

    async def dispose(self) -> None:
        await self.engine.dispose()


async def fetch_rows(session: AsyncSession, statement: Any) -> Sequence[Any]:
    """Run a Core query on the session's connection: plain rows, no ORM objects (aggregates,
    lists of columns)."""
    connection = await session.connection()
    return (await connection.execute(statement)).all()


async def write_rows(
    session: AsyncSession, statement: Any, rows: Sequence[dict[str, Any]]
) -> Sequence[Any]:
    """Run a Core write (an INSERT, an upsert) once per row, as one multi-row statement where the
    dialect allows, on the session's connection: past the ORM's bulk machinery, which costs more
    than the statement on a small push. Returns what its RETURNING clause gives, if it has one
    (in no particular order)."""
    connection = await session.connection()
    result = await connection.execute(statement, list(rows))
    return result.all() if result.returns_rows else ()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """`INSERT` with the dialect's `ON CONFLICT` support (PostgreSQL and SQLite share its shape)."""
    return postgresql.insert(table) if is_postgres(session) else sqlite.insert(table)


def is_postgres(session: AsyncSession) -> bool:
    """True when the session talks to PostgreSQL (bulk paths use COPY and unnest there)."""
    bind = session.bind
    return bind is not None and bind.dialect.name == "postgresql"


async def driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session's transaction, for set-based bulk statements."""
    connection = await session.connection()
    driver: Any = (await connection.get_raw_connection()).driver_connection
    # SQLAlchemy's asyncpg adapter sends BEGIN lazily, with its first statement: make sure it
    # has (once per transaction), so what runs on the driver connection belongs to it.
    if not driver.is_in_transaction():
        await connection.exec_driver_sql("SELECT 1")
    return driver


READ_METHODS = frozenset({"GET", "HEAD"})


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A read (GET, HEAD) runs its statements without a transaction; anything else is one unit
    of work, committed before the response."""
    database: Database = request.app.state.database
    if request.method in READ_METHODS:
        async with database.reading() as session:
            yield session
        return
    async with database.unit_of_work() as session:
        yield session


# scope="function": the commit finishes before the response is sent, so a client that has
# its 201 can rely on the data being there.
SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]


async def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


# For work that commits in several units of its own (a long re-announcement), not a request's.
DatabaseDep = Annotated[Database, Depends(_database)]
