"""`sbe demo` against the platform this machine runs (the settings `sbe run` uses), and the
demonstration city `sbe run` loads on a platform that holds no building yet (unless
`SBE_DEMO=off`; `SBE_DEMO_SCALE` and `SBE_DEMO_SEED` choose another city)."""

from __future__ import annotations

import asyncio
import threading

import httpx

from demo.run import run_demo, summary
from launcher.processes import GATEWAY

DEFAULT_SEED = 2023


def targets(env: dict[str, str]) -> tuple[str, str, str]:
    """(gateway URL, admin key, Kafka bootstrap) of the platform `env` describes."""
    gateway = f"http://{env.get('SBE_HOST', '127.0.0.1')}:{env[GATEWAY.port_env]}"
    bootstrap = env.get("SBE_KAFKA_BOOTSTRAP") or f"127.0.0.1:{env.get('SBE_BROKER_PORT', '9092')}"
    return gateway, env["SBE_ADMIN_TOKEN"], bootstrap


def load(env: dict[str, str], seed: int, scale: float) -> bool:
    """Load the city into the running platform, saying how it goes; True when it reconciles."""
    gateway, key, bootstrap = targets(env)
    result = asyncio.run(
        run_demo(
            gateway,
            key,
            bootstrap,
            seed=seed,
            scale=scale,
            say=lambda line: print(f"  {line}", flush=True),
        )
    )
    print(f"演示城市已载入 · {summary(result)}", flush=True)
    return bool(result["ok"])


def holds_no_building(gateway: str, admin_key: str) -> bool:
    response = httpx.get(
        f"{gateway}/api/v1/buildings",
        params={"limit": 1},
        headers={"Authorization": f"Bearer {admin_key}"},
        timeout=30,
    )
    response.raise_for_status()
    return int(response.json()["total"]) == 0


def load_in_background(env: dict[str, str]) -> threading.Thread | None:
    """What `sbe run` does once the platform is up: the demonstration city, if it is empty."""
    if env.get("SBE_DEMO", "on").lower() in ("off", "0", "false", "no"):
        return None
    gateway, key, _ = targets(env)
    if not holds_no_building(gateway, key):
        return None
    seed = int(env.get("SBE_DEMO_SEED", DEFAULT_SEED))
    scale = float(env.get("SBE_DEMO_SCALE", "1"))
    print("平台尚无数据：正在载入演示城市（SBE_DEMO=off 可关闭）……", flush=True)

    def work() -> None:
        try:
            load(env, seed, scale)
        except Exception as exc:  # the platform runs on; the banner says what happened
            print(f"演示城市未能载入：{exc}", flush=True)

    thread = threading.Thread(target=work, name="demo", daemon=True)
    thread.start()
    return thread
