"""Every building change and accepted movement is announced on Kafka (via the outbox)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import orjson

from tests import fixtures
from tests.support import must, read_topic


class TestBuildingTopic:
    async def test_each_change_publishes_the_whole_building(
        self, registry: httpx.AsyncClient, broker: str
    ) -> None:
        building_id = f"pub-{uuid.uuid4().hex[:8]}"
        must(
            await registry.post(
                "/api/v1/buildings", json=fixtures.building(id=building_id, lists=["key"])
            )
        )
        must(
            await registry.post(
                f"/api/v1/buildings/{building_id}/featured-designation",
                json={"industry": "tech_rnd", "designated_on": "2023-08-08"},
            )
        )
        renovation = await registry.post(
            "/api/v1/renovations",
            json={
                "building_id": building_id,
                "started_on": "2023-01-01",
                "completed_on": "2023-09-30",
            },
        )
        assert renovation.status_code == 201
        messages = await asyncio.to_thread(
            read_topic, broker, "sbe.registry.buildings.v1", keys={building_id}, want=3
        )
        assert len(messages) == 3
        latest = orjson.loads(messages[-1][1])
        assert latest["id"] == building_id
        assert latest["district_id"] == "sip"
        assert latest["lists"] == ["key"]
        assert latest["designations"] == [{"industry": "tech_rnd", "designated_on": "2023-08-08"}]
        assert latest["renovations"][0]["completed_on"] == "2023-09-30"


class TestMovementTopic:
    async def test_accepted_movements_are_published_once(
        self, registry: httpx.AsyncClient, broker: str
    ) -> None:
        building_id = f"mv-{uuid.uuid4().hex[:8]}"
        must(await registry.post("/api/v1/buildings", json=fixtures.building(id=building_id)))
        records = fixtures.movements(3, building_id=building_id)
        must(await registry.post("/api/v1/enterprise-movements", json={"records": records}))
        must(
            await registry.post("/api/v1/enterprise-movements", json={"records": records})
        )  # resend
        messages = await asyncio.to_thread(
            read_topic, broker, "sbe.registry.movements.v1", keys={building_id}, want=4, timeout=6
        )
        assert sorted(orjson.loads(v)["record_id"] for _, v in messages) == sorted(
            r["record_id"] for r in records
        )
        first = orjson.loads(messages[0][1])
        assert first["district_id"] == "sip"
        assert "tax" not in first
