"""`sbe demo`: draw the city, tell the platform a demonstration load begins, load it, compare
what was sent with what the platform shows, and record that (GET /api/v1/demo tells it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from demo.api import client, must
from demo.city import build_city
from demo.load import Loader
from demo.reconcile import reconcile


async def run_demo(
    gateway: str,
    admin_key: str,
    bootstrap: str,
    *,
    seed: int,
    scale: float,
    say: Callable[[str], None],
    within: float = 900,
) -> dict[str, Any]:
    """Load the city for `seed` and `scale`; returns the reconciliation."""
    city = build_city(seed=seed, scale=scale)
    began = datetime.now(UTC)
    report = {"seed": seed, "scale": scale, "started_at": began.isoformat()}
    async with client(gateway, admin_key) as admin:
        must(await admin.put("/api/v1/demo", json=report), 200)
        last = city.last_month
        say(
            f"演示城市：{len(city.buildings)} 幢楼宇、{len(city.tenants)} 家企业，"
            f"{city.first_year}年1月至{last.year}年{last.month}月（种子 {seed}，规模 {scale}）"
        )
        sent = await Loader(gateway, admin_key, bootstrap, city, say=say).load()
        say("数据已全部发送，正在与平台核对……")
        result = await reconcile(gateway, admin_key, sent, city.years, within=within)
        # The 发改委 publishes each year that is over, once its figures are all in.
        for year in city.years[:-1]:
            must(await admin.post("/api/v1/evaluation/publications", json={"year": year}), 201)
        say(f"已发布 {city.years[0]}–{city.years[-2]} 年度考核结果")
        done = {**report, "loaded_at": datetime.now(UTC).isoformat(), "reconciliation": result}
        must(await admin.put("/api/v1/demo", json=done), 200)
    return result


def summary(result: dict[str, Any]) -> str:
    """One line for a person: whether it reconciles, and if not, where first."""
    checks = result["checks"]
    if result["ok"]:
        return f"核对一致：{len(checks)} 项全部相符"
    wrong = [c for c in checks if not c["ok"]]
    first = wrong[0]
    where = f"{first['what']}：发送 {first['sent']}，平台 {first['shown']}"
    return f"核对不一致：{len(wrong)}/{len(checks)} 项不符（如 {where}）"
