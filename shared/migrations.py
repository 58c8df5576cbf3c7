"""Alembic, one migration history per service, run against the service's own schema or file."""

from __future__ import annotations

import asyncio
from importlib import import_module
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from shared.database import DatabaseTarget, create_engine


def alembic_config(service_package: str, target: DatabaseTarget) -> Config:
    """Configuration for `service_package`'s migrations (in its `migrations/` folder)."""
    config = Config()
    package_file = import_module(service_package).__file__
    assert package_file is not None
    config.set_main_option("script_location", str(Path(package_file).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", target.url)
    config.attributes["target"] = target
    return config


def upgrade(service_package: str, target: DatabaseTarget, revision: str = "head") -> None:
    """Bring the service's schema to `revision`. Blocking: call it from a thread in async code."""
    command.upgrade(alembic_config(service_package, target), revision)


def revision(service_package: str, target: DatabaseTarget, message: str) -> None:
    """Autogenerate a revision from the difference between the models and the database."""
    import_module(f"{service_package}.models")
    command.revision(alembic_config(service_package, target), message=message, autogenerate=True)


def _configure_and_run(connection: Connection, metadata: MetaData, schema: str | None) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _take_turns(conn: AsyncConnection, schema: str | None) -> None:
    """Wait for the schema's migration lock; it is released when the transaction ends."""
    await conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"sbe-migrations:{schema}"}
    )


async def _run_online(target: DatabaseTarget, metadata: MetaData) -> None:
    if target.is_postgres and target.schema:
        bootstrap = create_async_engine(target.url)
        async with bootstrap.begin() as conn:
            # Two replicas creating the same schema at once can both pass IF NOT EXISTS and one
            # then fails on the catalog's unique index: they take turns, as they do below.
            await _take_turns(conn, target.schema)
            # Where a DBA made the schema for a least-privilege role (deploy/postgres), the role
            # may not create schemas at all, even with IF NOT EXISTS: ask first.
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_namespace WHERE nspname = :schema"),
                {"schema": target.schema},
            )
            if not exists:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{target.schema}"'))
        await bootstrap.dispose()
    engine = create_engine(target, pool_size=1)
    try:
        async with engine.connect() as conn:
            if target.is_postgres:
                # Replicas that start together (`sbe serve --migrate`) migrate one at a time; the
                # others then find the schema at head.
                await _take_turns(conn, target.schema)
            await conn.run_sync(_configure_and_run, metadata, target.schema)
            await conn.commit()
    finally:
        await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    target: DatabaseTarget | None = context.config.attributes.get("target")
    if target is None:
        raise RuntimeError("run migrations through shared.migrations.upgrade (or `sbe migrate`)")
    if context.is_offline_mode():
        context.configure(url=target.url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(target, metadata))
