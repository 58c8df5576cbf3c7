"""Least privilege in PostgreSQL (deploy/postgres/roles.psql, what compose and the city's DBA
run): each process's role migrates and uses its own schema and cannot reach another's."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import subprocess

import asyncpg
import pytest

from launcher.processes import ALL
from shared.ops import DatabaseTarget, upgrade
from tests.ops.deployfiles import DEPLOY
from tests.support import PG_HOST, PG_PORT, PG_USER, admin_sql, scratch_database

ROLES = DEPLOY / "postgres" / "roles.psql"
PROCESSES = [spec for spec in ALL if spec.migrations]
needs_psql = pytest.mark.skipif(shutil.which("psql") is None, reason="psql missing")


@needs_psql
async def test_each_role_reaches_its_own_schema_only() -> None:
    prefix = f"t{secrets.token_hex(3)}_"
    passwords = {spec.name: secrets.token_hex(12) for spec in PROCESSES}
    async with scratch_database("sbe_roles") as database:
        try:
            command = [
                "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER, "-d", database,
                "-v", f"prefix={prefix}",
                *(a for n, pw in passwords.items() for a in ("-v", f"{n}_password={pw}")),
                "-f", str(ROLES),
            ]  # fmt: skip
            done = await asyncio.to_thread(
                subprocess.run, command, capture_output=True, text=True, timeout=60
            )
            assert done.returncode == 0, done.stderr

            def url(name: str) -> str:
                return f"postgresql+asyncpg://{prefix}{name}:{passwords[name]}@{PG_HOST}:{PG_PORT}/{database}"

            for spec in PROCESSES:
                assert spec.migrations is not None
                await asyncio.to_thread(
                    upgrade, spec.migrations, DatabaseTarget(url(spec.name), spec.name)
                )
            gateway = await asyncpg.connect(url("gateway").replace("+asyncpg", ""))
            try:
                await gateway.fetchval("SELECT count(*) FROM api_key")  # its own, by search_path
                for foreign in (
                    "monitoring.tax_record",
                    "registry.building",
                    "evaluation.target_version",
                ):
                    with pytest.raises(asyncpg.InsufficientPrivilegeError):
                        await gateway.fetchval(f"SELECT count(*) FROM {foreign}")
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await gateway.execute("CREATE SCHEMA intruder")
            finally:
                await gateway.close()
            monitoring = await asyncpg.connect(url("monitoring").replace("+asyncpg", ""))
            try:
                assert await monitoring.fetchval("SELECT count(*) FROM tax_record") == 0
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await monitoring.fetchval("SELECT count(*) FROM gateway.api_key")
            finally:
                await monitoring.close()
        finally:
            await admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for spec in PROCESSES:
                await admin_sql(f'DROP ROLE IF EXISTS "{prefix}{spec.name}"')
