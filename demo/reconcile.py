"""What the generator sent against what the platform shows, through the API as anyone would
read it: each district's buildings and tenants, its tax of each year to the fen, its 亿元楼宇, its
occupancy (each building's latest month of the year), its promotion events, and the dead letters
made on purpose. Feeds take a while to land, so the comparison is repeated until it agrees or the
time is up; then what differs is reported. The 发改委 publishes a year only once it agrees."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from demo.api import client, must
from demo.load import Sent
from policy import district_ids, format_cents


async def _checks(admin: httpx.AsyncClient, sent: Sent, years: list[int]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []

    def check(what: str, expected: object, shown: object) -> None:
        checks.append(
            {"what": what, "sent": str(expected), "shown": str(shown), "ok": expected == shown}
        )

    for district in district_ids():
        listed = must(
            await admin.get("/api/v1/buildings", params={"district_id": district, "limit": 1}), 200
        )
        check(f"楼宇 {district}", sent.buildings[district], listed["total"])
        structure = must(
            await admin.get(
                "/api/v1/industry-structure", params={"district_id": district, "level": "section"}
            ),
            200,
        )
        check(
            f"在驻企业 {district}", sent.tenants[district], sum(s["enterprises"] for s in structure)
        )
    for year in years:
        summary = must(
            await admin.get("/api/v1/monitoring/city/summary", params={"year": year}), 200
        )
        for line in summary["districts"]:
            district = line["district_id"]
            check(
                f"税收 {year} {district}",
                format_cents(sent.tax[(district, year)]),
                line["tax_total_cny"],
            )
            check(
                f"亿元楼宇 {year} {district}",
                sent.over_100m[(district, year)],
                line["buildings_over_counts"]["100m"],
            )
            occupied, leasable = sent.occupancy.get((district, year), (0.0, 0.0))
            check(
                f"出租率 {year} {district}",
                _rate(occupied / leasable if leasable else None),
                _rate(line["occupancy_rate"]),
            )
        check(
            f"税收 {year} 全市",
            format_cents(sum(v for (_, y), v in sent.tax.items() if y == year)),
            summary["city"]["tax_total_cny"],
        )
        for district in district_ids():
            page = must(
                await admin.get(
                    "/api/v1/events",
                    params={"year": year, "district_id": district, "kind": "promotion", "limit": 1},
                ),
                200,
            )
            check(f"推介活动 {year} {district}", sent.events[(district, year)], page["total"])
    letters = must(await admin.get("/api/v1/monitoring/dead-letters", params={"limit": 1}), 200)
    check("死信（有意制造）", sent.dead_letters, letters["total"])
    return checks


def _rate(rate: float | None) -> str:
    """An occupancy rate to 0.01 % (sums taken in another order differ in the last bits)."""
    return "—" if rate is None else f"{rate:.4%}"


async def reconcile(
    gateway: str, admin_key: str, sent: Sent, years: list[int], *, within: float = 600
) -> dict[str, Any]:
    """`{"ok", "checks": [{"what", "sent", "shown", "ok"}]}`, once everything agrees or the time
    is up (then `ok` is false and the checks say where)."""
    async with client(gateway, admin_key) as admin:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            checks = await _checks(admin, sent, years)
            agreed = all(c["ok"] for c in checks)
            if agreed or asyncio.get_running_loop().time() > deadline:
                return {"ok": agreed, "checks": checks}
            await asyncio.sleep(2)
