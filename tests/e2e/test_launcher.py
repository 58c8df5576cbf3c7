"""`sbe run` stops everything it started however it is signalled, refuses to start on a port
that is taken, starts again at once after a stop, and serves each process with idle connections outliving its clients' ones."""

from __future__ import annotations

import asyncio
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from launcher.processes import ALL
from shared import service_client
from shared.edge import CLIENT_IDLE_SECONDS, SERVER_IDLE_SECONDS
from tests.live import LiveStack, launch
from tests.support import free_port

pytestmark = pytest.mark.e2e


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def descendants(pid: int) -> set[int]:
    """Every process whose ancestry leads to `pid` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


class TestStopping:
    def test_two_signals_to_the_process_group_leave_nothing_running(self, tmp_path: Path) -> None:
        stack = launch(tmp_path / "data", tmp_path / "stack.log", own_group=True)
        children = descendants(stack.process.pid)
        ports = [stack.port(spec.name) for spec in ALL] + [int(stack.env["SBE_BROKER_PORT"])]
        assert len(children) >= 6 and all(listening(p) for p in ports)
        # What `timeout`, supervisors and CI do: the whole group, and then again.
        os.killpg(stack.process.pid, signal.SIGTERM)
        time.sleep(0.2)
        os.killpg(stack.process.pid, signal.SIGTERM)
        stack.process.wait(60)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(alive(pid) for pid in children):
            time.sleep(0.2)
        assert [pid for pid in children if alive(pid)] == []
        assert [p for p in ports if listening(p)] == []


class TestStarting:
    def test_a_taken_port_is_named_before_anything_starts(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SBE_")}
        env["SBE_DATA_DIR"] = str(tmp_path / "data")
        broker_port = free_port()
        env["SBE_BROKER_PORT"] = str(broker_port)
        for spec in ALL:
            env[spec.port_env] = str(free_port())
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", int(env["SBE_REGISTRY_PORT"])))
            squatter.listen()
            result = subprocess.run(
                [sys.executable, "-m", "launcher", "run"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        assert result.returncode == 1
        assert f"port {env['SBE_REGISTRY_PORT']} for registry (SBE_REGISTRY_PORT)" in result.stderr
        assert not listening(broker_port)
        assert not (tmp_path / "data" / "registry.db").exists()  # not even migrated


class TestRestarting:
    def test_a_stopped_stack_starts_again_at_once_on_the_same_ports(self, tmp_path: Path) -> None:
        first = launch(tmp_path / "data", tmp_path / "stack.log")
        ports = {name: value for name, value in first.env.items() if name.endswith("_PORT")}
        # Connections open at the stop are closed by the servers: their side lingers in
        # TIME_WAIT on the very ports the next start probes.
        held = [
            socket.create_connection(("127.0.0.1", first.port(spec.name)), timeout=5)
            for spec in ALL
        ]
        for conn in held:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(1024).startswith(b"HTTP/1.1 200")
        try:
            assert first.stop() == 0
        finally:
            for conn in held:
                conn.close()
        second = launch(tmp_path / "data", tmp_path / "stack.log", ports)
        try:
            assert second.gateway_url.endswith(f":{ports['SBE_GATEWAY_PORT']}")
        finally:
            assert second.stop() == 0


class TestIdleConnections:
    """A server that closes an idle connection just as a client sends on it drops the request
    (the gateway answered 502 so, under load): our clients give up idle connections first."""

    def test_clients_give_up_an_idle_connection_before_the_services_do(self) -> None:
        from gateway.proxy import Proxy

        assert CLIENT_IDLE_SECONDS < SERVER_IDLE_SECONDS

        async def idle_times() -> tuple[float, float | None]:
            proxy = Proxy(connect_timeout=1, read_timeout=1, pool_size=4)
            await proxy.start()
            client = service_client("http://127.0.0.1:1", service="test", secret="s" * 32)
            try:
                transport: Any = client._transport
                return (
                    transport._pool._keepalive_expiry,
                    proxy.session.connector._keepalive_timeout,  # type: ignore[union-attr]
                )
            finally:
                await client.aclose()
                await proxy.close()

        assert asyncio.run(idle_times()) == (CLIENT_IDLE_SECONDS, CLIENT_IDLE_SECONDS)

    def test_a_service_keeps_an_idle_connection_open_past_uvicorns_five_seconds(
        self, live: LiveStack
    ) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", live.port("registry"), timeout=5)
        try:
            conn.request("GET", "/healthz")
            assert conn.getresponse().read() == b'{"status":"ok"}'
            kept = conn.sock
            time.sleep(6)  # uvicorn's default keep-alive is 5 s
            conn.request("GET", "/healthz")  # on the same socket: http.client never reconnects
            assert conn.getresponse().status == 200 and conn.sock is kept
        finally:
            conn.close()
