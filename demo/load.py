"""Loading the demonstration city into a running platform through its public interfaces only:
ten district keys push buildings, renovations and enterprise movements through the gateway, the
tax and occupancy feeds go to Kafka, and people's actions (targets, designations, events and
their reviews, key-task reports, publications) go through the API as the 发改委 and the districts
would make them. Nothing is written to a database.

The faults a real city produces are made on purpose: a batch sent twice, a batch refused for a bad
统一社会信用代码 (sent again, fixed), tax records corrected later, feed messages the platform must
set aside (dead letters). `Sent` keeps what was sent, for `demo.reconcile` to compare with what the
platform then shows."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from demo import placing
from demo.api import RefusedError, client, must
from demo.city import YI, City, Tenant
from demo.feeds import OccupancyRecord, occupancy_records, planned_months, tax_records
from demo.people import designations, events, key_task_reports, renovations, targets
from policy import TOPIC_OCCUPANCY, TOPIC_TAX, district_ids
from shared.messaging import create_producer

logger = logging.getLogger("sbe.demo")
BATCH = 500  # movement records per push (the platform takes up to 5,000)


@dataclass
class Sent:
    """What the generator sent, as each reading of the platform must show it."""

    buildings: Counter[str] = field(default_factory=Counter)  # district → buildings
    tenants: Counter[str] = field(default_factory=Counter)  # district → tenants at the end
    tax: dict[tuple[str, int], int] = field(default_factory=dict)  # (district, year) → fen
    over_100m: dict[tuple[str, int], int] = field(default_factory=dict)
    # (district, year) → (Σ occupied m², Σ leasable m²) of each building's latest month reported
    occupancy: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)
    events: Counter[tuple[str, int]] = field(default_factory=Counter)  # (district, year)
    dead_letters: int = 0


class Loader:
    """One load of a city into one platform."""

    def __init__(
        self,
        gateway: str,
        admin_key: str,
        bootstrap: str,
        city: City,
        *,
        say: Callable[[str], None] = logger.info,
    ) -> None:
        self.gateway = gateway
        self.admin_key = admin_key
        self.bootstrap = bootstrap
        self.city = city
        self.say = say
        self.sent = Sent()
        self.tenants: dict[str, list[Tenant]] = defaultdict(list)
        for tenant in city.tenants:
            self.tenants[tenant.building_id].append(tenant)

    def client(self, key: str) -> httpx.AsyncClient:
        return client(self.gateway, key)

    async def load(self) -> Sent:
        """Everything, in the order a city's systems and people would do it."""
        async with self.client(self.admin_key) as admin:
            keys = await self._district_keys(admin)
            await self._targets(admin)
            districts = {d: self.client(k) for d, k in keys.items()}
            try:
                await self._each(districts, self._buildings)
                await self._buildings_known(admin)
                await asyncio.gather(
                    asyncio.to_thread(self._feeds),
                    self._each(districts, self._movements),
                    self._each(districts, lambda d, c: self._renovations(d, c, admin)),
                    self._each(districts, lambda d, c: self._events(d, c, admin)),
                    self._designations(admin),
                )
                await self._city_events(admin)
                await self._key_task_reports(admin)
            finally:
                for client in districts.values():
                    await client.aclose()
        self._expect()
        return self.sent

    async def _each(
        self,
        clients: dict[str, httpx.AsyncClient],
        work: Callable[[str, httpx.AsyncClient], Awaitable[None]],
    ) -> None:
        await asyncio.gather(*(work(d, clients[d]) for d in district_ids()))

    async def _district_keys(self, admin: httpx.AsyncClient) -> dict[str, str]:
        keys = {}
        for district in district_ids():
            issued = must(
                await admin.post(
                    "/api/v1/auth/keys",
                    json={
                        "role": "district",
                        "district_id": district,
                        "label": f"{district}数据平台（演示）",
                    },
                ),
                201,
            )
            keys[district] = issued["key"]
        return keys

    async def _targets(self, admin: httpx.AsyncClient) -> None:
        """Targets for every year the city covers (Annex 1's stay for 2023)."""
        for year, body in targets(self.city):
            must(await admin.put(f"/api/v1/evaluation/targets/{year}", json=body), 200)

    async def _buildings(self, district: str, client: httpx.AsyncClient) -> None:
        mine = [b for b in self.city.buildings if b.district_id == district]
        # Each building stands inside its district as the platform draws it (every role reads
        # the boundaries).
        areas = placing.areas_of(must(await client.get("/api/v1/map/districts"), 200))
        for building in mine:
            must(
                await client.post(
                    "/api/v1/buildings",
                    json={
                        "id": building.id,
                        "name": building.name,
                        "district_id": district,
                        "address": building.address,
                        "gross_floor_area_m2": building.gross_floor_area_m2,
                        "status": building.status,
                        "lists": list(building.lists),
                        "location": placing.place(building, areas, self.city.seed),
                    },
                ),
                201,
            )
        self.sent.buildings[district] = len(mine)
        self.say(f"{district}: {len(mine)} buildings registered")

    async def _buildings_known(self, admin: httpx.AsyncClient, within: float = 600) -> None:
        """Monitoring must know every building before the feeds name them (else: dead letters):
        its copy of the buildings, counted per district by its copy check (one call, whatever
        the city's size), holds every building sent (the city is loaded on an empty platform)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            report = must(await admin.post("/api/v1/monitoring/copies/check"), 200)
            held = {
                line["district_id"]: line["copy_count"]
                for line in report["lines"]
                if line["kind"] == "buildings"
            }
            missing = sum(max(0, n - held.get(d, 0)) for d, n in self.sent.buildings.items())
            if not missing:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise RefusedError(f"monitoring never learned of {missing} buildings")
            await asyncio.sleep(0.5)

    async def _movements(self, district: str, client: httpx.AsyncClient) -> None:
        records = [
            r for t in self.city.tenants if t.district_id == district for r in _movement_records(t)
        ]
        batches = [records[i : i + BATCH] for i in range(0, len(records), BATCH)]
        for n, batch in enumerate(batches):
            if n == 0 and len(batch) > 1:  # a district system with a typo in one credit code
                wrong = [{**batch[0], "uscc": batch[0]["uscc"][:-1] + _other(batch[0]["uscc"][-1])}]
                refused = await client.post(
                    "/api/v1/enterprise-movements", json={"records": wrong + batch[1:]}
                )
                must(refused, 422)
            must(await client.post("/api/v1/enterprise-movements", json={"records": batch}), 200)
        if batches:  # a push sent again, its answer lost on the way: nothing changes
            again = must(
                await client.post("/api/v1/enterprise-movements", json={"records": batches[-1]}),
                200,
            )
            if again["accepted"] != 0:
                raise RefusedError(f"{district}: a batch sent again was stored again: {again}")
        self.say(f"{district}: {len(records)} enterprise movements pushed")

    async def _renovations(
        self, district: str, client: httpx.AsyncClient, admin: httpx.AsyncClient
    ) -> None:
        for body, verify in renovations(self.city, district):
            made = must(await client.post("/api/v1/renovations", json=body), 201)
            if verify and made["review"] and made["review"]["state"] == "pending":
                must(
                    await admin.post(
                        f"/api/v1/renovations/{made['id']}/review",
                        json={"decision": "verified", "reason": "经现场核查，改造已完成"},
                    ),
                    200,
                )

    async def _events(
        self, district: str, client: httpx.AsyncClient, admin: httpx.AsyncClient
    ) -> None:
        for body, verify in events(self.city, district):
            made = must(await client.post("/api/v1/events", json=body), 201)
            self.sent.events[(district, int(body["starts_at"][:4]))] += 1
            if verify and body["status"] == "held":
                must(
                    await admin.post(
                        f"/api/v1/events/{made['id']}/review",
                        json={"decision": "verified", "reason": "材料齐全，予以核实"},
                    ),
                    200,
                )

    async def _city_events(self, admin: httpx.AsyncClient) -> None:
        """The city conference and the two joint meetings a year (the 发改委's own, verified as
        entered); one promotion voided, as happens."""
        for body, _ in events(self.city, None):
            must(await admin.post("/api/v1/events", json=body), 201)
        listed = must(
            await admin.get("/api/v1/events", params={"kind": "promotion", "limit": 1}), 200
        )
        if listed["items"]:
            must(
                await admin.post(
                    f"/api/v1/events/{listed['items'][0]['id']}/void",
                    json={"reason": "经核查，该活动与其他活动重复申报"},
                ),
                200,
            )

    async def _designations(self, admin: httpx.AsyncClient) -> None:
        for building_id, body in designations(self.city, self.tenants):
            must(
                await admin.post(
                    f"/api/v1/buildings/{building_id}/featured-designation", json=body
                ),
                201,
            )

    async def _key_task_reports(self, admin: httpx.AsyncClient) -> None:
        tasks = must(await admin.get("/api/v1/evaluation/tasks"), 200)
        for task_id, body in key_task_reports(self.city, tasks):
            must(await admin.post(f"/api/v1/evaluation/tasks/{task_id}/reports", json=body), 201)

    def _feeds(self) -> None:
        """The tax bureau and the property managers, every message acknowledged by the broker;
        and two the platform must set aside."""
        producer = create_producer(self.bootstrap, linger_ms=20)
        latest: dict[tuple[str, int], OccupancyRecord] = {}  # (building, year) → its last report
        try:
            futures = []
            for records in (
                tax_records(self.city, self.tenants),
                occupancy_records(self.city, self.tenants),
            ):
                for record in records:
                    if isinstance(record, OccupancyRecord):
                        latest[(record.building_id, int(record.period[:4]))] = record
                    topic = TOPIC_TAX if hasattr(record, "amount_cents") else TOPIC_OCCUPANCY
                    futures.append(
                        producer.send(
                            topic,
                            key=record.building_id.encode(),
                            value=orjson.dumps(record.message()),
                        )
                    )
                    if len(futures) >= 20_000:
                        _delivered(producer, futures)
            unknown = {
                **_any_tax(self.city),
                "building_id": "no-such-building",
                "record_id": "demo-unknown",
            }
            futures.append(
                producer.send(TOPIC_TAX, key=b"no-such-building", value=orjson.dumps(unknown))
            )
            futures.append(producer.send(TOPIC_TAX, key=b"garbled", value=b"{not json"))
            self.sent.dead_letters = 2
            _delivered(producer, futures)
        finally:
            producer.close(10)
        district_of = {b.id: b.district_id for b in self.city.buildings}
        for (building_id, year), report in latest.items():
            key = (district_of[building_id], year)
            occupied, leasable = self.sent.occupancy.get(key, (0.0, 0.0))
            self.sent.occupancy[key] = (
                occupied + report.occupied_area_m2,
                leasable + report.leasable_area_m2,
            )
        self.say("feeds sent: tax and occupancy for every month")

    def _expect(self) -> None:
        """What the platform must show once all of it has landed."""
        end = self.city.last_month
        for district in district_ids():
            present = [
                t
                for b in self.city.buildings
                if b.district_id == district
                for t in self.tenants[b.id]
                if t.moved_out is None and t.moved_in <= end
            ]
            self.sent.tenants[district] = len({t.uscc for t in present})
        for building in self.city.buildings:
            months = planned_months(self.city, building)
            for year in self.city.years:
                tax = sum(v for p, v in months.items() if p.startswith(f"{year}-"))
                key = (building.district_id, year)
                self.sent.tax[key] = self.sent.tax.get(key, 0) + tax
                self.sent.over_100m[key] = self.sent.over_100m.get(key, 0) + (tax > YI)


def _delivered(producer: Any, futures: list[Any]) -> None:
    producer.flush(timeout=120)
    for future in futures:
        future.get(timeout=120)
    futures.clear()


def _movement_records(tenant: Tenant) -> list[dict[str, Any]]:
    common = {
        "uscc": tenant.uscc,
        "enterprise_name": tenant.name,
        "building_id": tenant.building_id,
        "area_m2": tenant.area_m2,
        "industry_code": tenant.industry_code,
    }
    records = [
        {
            "record_id": f"{tenant.uscc}-in",
            "kind": "move_in",
            "date": tenant.moved_in.isoformat(),
            **common,
        }
    ]
    if tenant.moved_out is not None:
        records.append(
            {
                "record_id": f"{tenant.uscc}-out",
                "kind": "move_out",
                "date": tenant.moved_out.isoformat(),
                **common,
            }
        )
    return records


def _other(character: str) -> str:
    return "1" if character != "1" else "2"


def _any_tax(city: City) -> dict[str, Any]:
    month = city.last_month
    return {
        "period": f"{month.year}-{month.month:02d}",
        "amount_cny": "1.00",
        "reported_at": datetime.combine(
            month + timedelta(days=40), datetime.min.time(), UTC
        ).isoformat(),
    }
