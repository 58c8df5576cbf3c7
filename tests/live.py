"""The real platform for tests that need it whole: `sbe run` in a subprocess (embedded SQLite
default, bundled broker), talked to over HTTP like a district system would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from launcher.processes import ALL
from tests.support import free_port


@dataclass
class LiveStack:
    """A running `sbe run` and what its banner printed."""

    process: subprocess.Popen[str]
    data_dir: Path
    env: dict[str, str]
    gateway_url: str = ""
    admin_key: str = ""
    admin_password: str = ""  # the `admin` account's one-time password, on the first start
    banner: list[str] = field(default_factory=list)

    def port(self, name: str) -> int:
        spec = next(s for s in ALL if s.name == name)
        return int(self.env[spec.port_env])

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM, as Ctrl-C or an orchestrator would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)


def launch(
    data_dir: Path,
    log: Path,
    extra_env: dict[str, str] | None = None,
    *,
    own_group: bool = False,
) -> LiveStack:
    """Start `sbe run` on free ports and wait for its banner (`own_group`: in a process group of
    its own, as a shell or a supervisor starts it, so the group can be signalled whole)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SBE_")}
    env["SBE_DATA_DIR"] = str(data_dir)
    env["SBE_DEMO"] = "off"  # a test loads the demonstration city only when it asks for it
    env["SBE_BROKER_PORT"] = str(free_port())
    for spec in ALL:
        env[spec.port_env] = str(free_port())
    env.update(extra_env or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "launcher", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("a"),
        text=True,
        start_new_session=own_group,
    )
    stack = LiveStack(process, data_dir, env)
    ready = threading.Event()

    def read_banner() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            stack.banner.append(line.rstrip())
            if line.strip().startswith("gateway"):
                stack.gateway_url = line.split()[-1]
            if line.strip().startswith("admin key"):
                stack.admin_key = line.split()[-1]
            if line.strip().startswith("account") and " / " in line:
                stack.admin_password = line.split(" / ", 1)[1].split()[0]
            if "stop with Ctrl-C" in line:
                ready.set()

    threading.Thread(target=read_banner, daemon=True).start()
    deadline = time.monotonic() + 90
    while not ready.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"sbe run did not start; see {log}:\n{log.read_text()[-3000:]}")
    return stack


# Limits wide enough for the load a test sends with one key from one address.
UNLIMITED = {
    "SBE_RATE_LIMIT_PER_SECOND": "5000",
    "SBE_RATE_LIMIT_BURST": "5000",
    "SBE_CLIENT_RATE_LIMIT_PER_SECOND": "5000",
    "SBE_CLIENT_RATE_LIMIT_BURST": "5000",
}


@contextlib.contextmanager
def on_postgres(prefix: str, base: Path, extra_env: dict[str, str]) -> Iterator[LiveStack]:
    """`sbe run` on a scratch PostgreSQL database of its own, as production runs it: stopped
    (and checked to stop cleanly) after the block, the database dropped."""
    from tests.support import admin_sql, pg_url, scratch_name

    name = scratch_name(prefix)
    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    # Small pools, as the test processes' own services keep: a stack with production's 20 a
    # service could hold 150 connections, past PostgreSQL's 100 for the whole test run.
    env = {"SBE_DATABASE_URL": pg_url(name), "SBE_DATABASE_POOL_SIZE": "4", **extra_env}
    stack = launch(base / "data", base / "stack.log", env)
    try:
        yield stack
        assert stack.stop() == 0
    finally:
        if stack.process.poll() is None:  # the block failed: stopped all the same, children too
            with contextlib.suppress(subprocess.TimeoutExpired):
                stack.stop()
        if stack.process.poll() is None:
            stack.process.kill()
        asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
