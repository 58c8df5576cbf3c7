"""`sbe run`: the whole suite in the foreground, stopped cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from launcher.broker import start_broker
from launcher.demo import load_in_background
from launcher.processes import ALL, GATEWAY, SERVICES
from shared import database_target
from shared.ops import upgrade


def _secret_file(path: Path, length: int = 32) -> str:
    """A secret kept in the data directory (created once, readable by the owner only)."""
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(length)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def prepare_environment() -> dict[str, str]:
    """The environment every child runs with: data dir, secrets and ports settled once."""
    env = dict(os.environ)
    data_dir = Path(env.get("SBE_DATA_DIR", ".sbe")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env["SBE_DATA_DIR"] = str(data_dir)
    env.setdefault("SBE_INTERNAL_SECRET", _secret_file(data_dir / "internal_secret"))
    env.setdefault("SBE_ADMIN_TOKEN", "sbe_admin_" + _secret_file(data_dir / "admin_token"))
    for spec in ALL:
        env.setdefault(spec.port_env, str(spec.default_port))
    host = env.get("SBE_HOST", "127.0.0.1")
    for spec in SERVICES:
        env.setdefault(f"SBE_{spec.name.upper()}_URL", f"http://{host}:{env[spec.port_env]}")
    # Each process reads the URLs of the peers it calls (monitoring→registry, events→evaluation).
    return env


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """Settings read inside the block see `env` (what the children will run with)."""
    previous = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(previous)


def migrate_all(env: dict[str, str]) -> None:
    """Bring every process's schema to its newest revision."""
    with _environment(env):
        for spec in ALL:
            if spec.migrations:
                settings = spec.settings()
                upgrade(spec.migrations, database_target(settings, spec.name))


def bootstrap_admin(env: dict[str, str]) -> str | None:
    """Make the `admin` account on the first start; its one-time password (None later)."""
    from gateway.accounts.service import ensure_bootstrap_admin
    from shared import Database

    async def ensure() -> str | None:
        database = Database.open(database_target(GATEWAY.settings(), GATEWAY.name), pool_size=1)
        try:
            async with database.unit_of_work() as session:
                return await ensure_bootstrap_admin(session)
        finally:
            await database.dispose()

    with _environment(env):
        return asyncio.run(ensure())


def _wait_ready(url: str, processes: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own URL
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the platform was not ready at {url} within {timeout:.0f}s")


def _stop(processes: list[tuple[str, subprocess.Popen[bytes]]], timeout: float = 15.0) -> None:
    """SIGTERM in the given order, then wait; SIGKILL what does not stop in time."""
    for _, process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, process in processes:
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in time; killing it", file=sys.stderr)
            process.kill()
            process.wait()


class _Stop(Exception):
    pass


class _StopOnce:
    """The first SIGINT or SIGTERM interrupts the run; later ones (a second Ctrl-C, a group
    signal arriving twice, as `timeout` and supervisors send) are noted and nothing more, so
    they can never interrupt the stopping of the children."""

    def __init__(self) -> None:
        self.stopping = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            return
        self.stopping = True
        raise _Stop


def ports_taken(env: dict[str, str]) -> list[str]:
    """Every port `sbe run` would listen on that something else holds already, named."""
    host = env.get("SBE_HOST", "127.0.0.1")
    wanted = [(f"{spec.name} ({spec.port_env})", int(env[spec.port_env])) for spec in ALL]
    if not env.get("SBE_KAFKA_BOOTSTRAP"):
        wanted.append(
            ("the bundled broker (SBE_BROKER_PORT)", int(env.get("SBE_BROKER_PORT", "9092")))
        )
    taken = []
    for name, port in wanted:
        with socket.socket() as probe:
            # As the servers bind: a port whose last connections linger in TIME_WAIT after a
            # stop is free to them, and must be to the probe too, or a restart is refused.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                taken.append(f"port {port} for {name} is already in use")
    return taken


def run() -> int:
    """Start broker (unless SBE_KAFKA_BOOTSTRAP is set), migrate, start all five, wait."""
    env = prepare_environment()
    taken = ports_taken(env)
    if taken:
        for line in taken:
            print(f"sbe run: {line}", file=sys.stderr)
        print("sbe run: nothing was started; free the ports or choose others", file=sys.stderr)
        return 1
    stop_once = _StopOnce()
    signal.signal(signal.SIGTERM, stop_once)
    signal.signal(signal.SIGINT, stop_once)
    broker = None
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        if not env.get("SBE_KAFKA_BOOTSTRAP"):
            port = int(env.get("SBE_BROKER_PORT", "9092"))
            broker = start_broker(port)
            env["SBE_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{port}"
        migrate_all(env)
        admin_password = bootstrap_admin(env)
        for spec in (*SERVICES, GATEWAY):
            children[spec.name] = subprocess.Popen(
                [sys.executable, "-m", "launcher", "serve", spec.name],
                env=env,
                start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
            )
        gateway = f"http://{env.get('SBE_HOST', '127.0.0.1')}:{env[GATEWAY.port_env]}"
        _wait_ready(f"{gateway}/readyz", children, timeout=90)
        _banner(gateway, env, admin_password)
        load_in_background(env)
        while True:
            for name, process in children.items():
                if process.poll() is not None:
                    print(
                        f"{name} exited with code {process.returncode}; stopping", file=sys.stderr
                    )
                    return 1
            time.sleep(0.5)
    except _Stop:
        print("\nstopping…", file=sys.stderr)
        return 0
    except RuntimeError as exc:
        print(f"sbe run: {exc}", file=sys.stderr)
        return 1
    finally:
        stop_once.stopping = True  # from here on, a signal changes nothing
        ordered = [(GATEWAY.name, children[GATEWAY.name])] if GATEWAY.name in children else []
        ordered += [(n, p) for n, p in children.items() if n != GATEWAY.name]
        _stop(ordered)
        if broker is not None:
            _stop([("broker", broker)], timeout=5)


def _banner(gateway: str, env: dict[str, str], admin_password: str | None) -> None:
    account = (
        f"admin / {admin_password}   (one-time password: change it at first sign-in)"
        if admin_password
        else "admin   (made at the first start; reset it with the admin key if lost)"
    )
    lines = [
        "",
        "苏州楼宇经济智慧平台 is running",
        f"  gateway     {gateway}",
        f"  API docs    {gateway}/docs",
        f"  admin key   {env['SBE_ADMIN_TOKEN']}",
        f"  account     {account}",
        f"  data        {env['SBE_DATA_DIR']}"
        + ("" if env.get("SBE_DATABASE_URL") else " (SQLite files)"),
        f"  broker      {env['SBE_KAFKA_BOOTSTRAP']}",
        "  stop with Ctrl-C",
        "",
    ]
    print("\n".join(lines), flush=True)
