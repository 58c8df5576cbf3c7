"""Load with wrk and what it cost: a run's throughput and latency, a process's CPU time."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    gateway_cpu_us: float = 0.0  # the gateway process's CPU time per request (gateway runs)


def process_of(name: str) -> int:
    """The pid of `sbe serve <name>` (a child of `sbe run`)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and name.encode() in argv:
                return int(entry.name)
    raise SystemExit(f"no process serves {name}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def wrk(url: str, headers: dict[str, str], seconds: int, connections: int, script: Path | None,
        args: list[str] | None = None) -> Run:  # fmt: skip
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script is not None:
        headers = {**headers, "Content-Type": "application/json"}
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if args:
        command += ["--", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw failures against {url}:\n{out}")
    return Run(
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
    )
