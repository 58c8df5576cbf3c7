"""The evaluation's inputs arrive over internal topics, and a malformed message there cannot stop
them: the consumer splits the failing batch, dead-letters the message at fault, stores the rest."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import orjson
from kafka import KafkaProducer

from policy import TOPIC_REGISTRY_BUILDINGS
from shared.messaging import TOPIC_DEADLETTER
from tests import fixtures
from tests.conftest import Services
from tests.support import ADMIN, as_, eventually, read_topic


class TestMalformedInternalMessages:
    async def test_are_dead_lettered_and_later_messages_still_count(
        self,
        services: Services,
        evaluation_api: httpx.AsyncClient,
        producer: KafkaProducer,
        broker: str,
    ) -> None:
        poison = f"poison-{uuid.uuid4().hex[:8]}"
        unreadable = f"unreadable-{uuid.uuid4().hex[:8]}"

        def send_poison() -> None:
            producer.send(TOPIC_REGISTRY_BUILDINGS, key=poison.encode(), value=b'{"id": "x"}')
            producer.send(TOPIC_REGISTRY_BUILDINGS, key=unreadable.encode(), value=b"\xff{")
            producer.send(TOPIC_REGISTRY_BUILDINGS, key=b"tombstone", value=None)
            producer.flush()

        await asyncio.to_thread(send_poison)
        building_id = f"in-{uuid.uuid4().hex[:8]}"
        transport = httpx.ASGITransport(app=services.apps["registry"])
        async with httpx.AsyncClient(
            transport=transport, base_url="http://registry", auth=as_(ADMIN)
        ) as registry:
            created = await registry.post(
                "/api/v1/buildings",
                json=fixtures.building(id=building_id, district_id="wujiang"),
            )
            assert created.status_code == 201
            designated = await registry.post(
                f"/api/v1/buildings/{building_id}/featured-designation",
                json={"industry": "design", "designated_on": "2023-05-01"},
            )
            assert designated.status_code == 201

        async def featured() -> list[str]:
            response = await evaluation_api.get(
                "/api/v1/evaluation/scores/wujiang/evidence", params={"year": 2023}
            )
            items = response.json()["indicators"]["new_featured_buildings"]
            return [item["id"] for item in items]

        await eventually(featured, lambda ids: building_id in ids)
        # Both readers of the topic (monitoring and evaluation) set each message aside.
        published = await asyncio.to_thread(
            read_topic, broker, TOPIC_DEADLETTER, keys={poison, unreadable}, want=4
        )
        envelopes = [orjson.loads(value) for _, value in published]
        assert len(envelopes) == 4
        assert {e["reason"] for e in envelopes} == {"unstorable"}
        assert {e["topic"] for e in envelopes} == {TOPIC_REGISTRY_BUILDINGS}
        assert all(e["detail"] for e in envelopes)
