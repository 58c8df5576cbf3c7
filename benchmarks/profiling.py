"""Where a loaded process spends its time: py-spy samples, each counted to the layer it is in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Where a sample's time goes, by the first frame (from the leaf up) that names a layer.
LAYERS = (
    ("driver (asyncpg)", ("(asyncpg/",)),
    ("ORM (SQLAlchemy, SQLModel)", ("(sqlalchemy/", "(sqlmodel/")),
    ("validation and serialisation (pydantic)", ("(pydantic",)),
    ("the service's own code (services, gateway, shared)", ("(services/", "(gateway/", "(shared/")),
    ("FastAPI routing and dependencies", ("(fastapi/",)),
    ("middleware and Starlette", ("(starlette/",)),
    ("HTTP client (aiohttp: the gateway's proxy)", ("(aiohttp/", "(yarl/", "(multidict/")),
    ("server (uvicorn, httptools, the event loop)", ("(uvicorn/", "(httptools", "(asyncio/")),
)


def start_sampler(pid: int, folder: str, endpoint: str, seconds: int) -> subprocess.Popen[bytes]:
    """py-spy on the process for the next run (idle time left out)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid),
         "--duration", str(seconds), "--rate", "250", "--format", "raw",
         "--nonblocking", "--output", str(Path(folder) / f"{endpoint}.txt")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def layers_of(stacks: Path) -> dict[str, float]:
    """Each layer's share of the samples (py-spy's raw format: `frame;frame;… count`)."""
    shares: dict[str, int] = {}
    total = 0
    for line in stacks.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        total += int(count)
        for frame in reversed(frames.split(";")):
            layer = next((name for name, marks in LAYERS if any(m in frame for m in marks)), None)
            if layer is not None:
                break
        shares[layer or "other"] = shares.get(layer or "other", 0) + int(count)
    return {name: count / total for name, count in sorted(shares.items(), key=lambda i: -i[1])}
