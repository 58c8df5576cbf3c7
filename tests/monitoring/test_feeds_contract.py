"""The feeds as a contract: the AsyncAPI document is the code's, every reference in it resolves,
the producer example of docs/feeds.md runs against the real broker, and the messages the
platform really carries on every topic match the document's schemas."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
from jsonschema import Draft202012Validator

from launcher.asyncapi import document
from policy import (
    TOPIC_EVENTS,
    TOPIC_MONITORING_BUILDING_YEARS,
    TOPIC_OCCUPANCY,
    TOPIC_REGISTRY_BUILDINGS,
    TOPIC_REGISTRY_MOVEMENTS,
    TOPIC_TAX,
    TOPICS,
)
from shared.messaging import TOPIC_DEADLETTER
from tests import fixtures
from tests.conftest import Services
from tests.support import ADMIN, Feed, as_, eventually, read_topic

ROOT = Path(__file__).resolve().parents[2]
CHECKED_IN = ROOT / "docs" / "asyncapi.json"
EXAMPLE = ROOT / "docs" / "examples" / "feed_producer.py"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def validator_for(doc: dict[str, Any], topic: str) -> Draft202012Validator:
    """The schema of the topic's message as the document gives it, references included."""
    (channel,) = [c for c in doc["channels"].values() if c["address"] == topic]
    (message_ref,) = [m["$ref"] for m in channel["messages"].values()]
    payload = _resolve(doc, message_ref)["payload"]
    return Draft202012Validator({**payload, "components": doc["components"]})


class TestTheDocument:
    def test_the_checked_in_document_is_the_codes(self) -> None:
        assert orjson.loads(CHECKED_IN.read_bytes()) == document(), (
            "docs/asyncapi.json is stale: .venv/bin/sbe asyncapi > docs/asyncapi.json"
        )

    def test_it_is_asyncapi_3_covering_every_topic_with_resolving_references(self) -> None:
        doc = document()
        assert doc["asyncapi"] == "3.0.0"
        assert {c["address"] for c in doc["channels"].values()} == set(TOPICS)
        for ref in _refs(doc):
            assert ref.startswith("#/"), ref
            _resolve(doc, ref)  # raises KeyError when it does not resolve
        actions = {
            (o["action"], _resolve(doc, o["channel"]["$ref"])["address"])
            for o in doc["operations"].values()
        }
        # The platform reads the feeds and writes its own topics.
        assert ("receive", TOPIC_TAX) in actions and ("send", TOPIC_TAX) not in actions
        assert {
            ("send", TOPIC_REGISTRY_BUILDINGS),
            ("receive", TOPIC_REGISTRY_BUILDINGS),
        } <= actions
        for schema in doc["components"]["schemas"].values():
            Draft202012Validator.check_schema(schema)

    def test_the_feed_schemas_hold_what_the_contract_says(self) -> None:
        doc = document()
        tax = validator_for(doc, TOPIC_TAX)
        good = {
            "record_id": "t-1",
            "building_id": "b-1",
            "period": "2024-03",
            "amount_cny": "-200.00",
            "reported_at": "2024-04-01T09:00:00+08:00",
        }
        assert not list(tax.iter_errors(good))
        for bad in ({**good, "amount_cny": 12.5}, {**good, "period": "2024-13"}, {**good, "x": 1}):
            assert list(tax.iter_errors(bad)), bad


class TestRealMessages:
    async def test_the_producer_example_runs_and_every_topic_matches_its_schema(
        self,
        services: Services,
        monitoring: httpx.AsyncClient,
        registry_client: httpx.AsyncClient,
        register: Callable[..., Awaitable[str]],
        feed: Feed,
        broker: str,
    ) -> None:
        building = await register("gusu")
        pushed = await registry_client.post(
            "/api/v1/enterprise-movements",
            json={"records": [fixtures.movement(building_id=building, date="2023-05-02")]},
        )
        assert pushed.status_code == 200, pushed.text
        transport = httpx.ASGITransport(app=services.apps["events"])
        async with httpx.AsyncClient(
            transport=transport, base_url="http://events", auth=as_(ADMIN)
        ) as events:
            created = await events.post(
                "/api/v1/events",
                json={
                    "kind": "promotion",
                    "scope": "district",
                    "district_id": "gusu",
                    "status": "planned",
                    "title": "姑苏区楼宇推介会",
                    "venue": "会场",
                    "starts_at": "2023-06-10T09:30:00+08:00",
                    "ends_at": "2023-06-10T11:30:00+08:00",
                },
            )
            assert created.status_code == 201, created.text
        event_id = created.json()["id"]

        ran = await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                str(EXAMPLE),
                "--bootstrap",
                broker,
                "--building",
                building,
                "--period",
                "2023-05",
                "--prefix",
                f"doc-{building}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert ran.returncode == 0, ran.stderr
        # 1,000,000.00 corrected to 1,200,000.00, less a refund of 200,000.00; 17,000 of 20,000.
        series = await eventually(
            lambda: monitoring.get(f"/api/v1/monitoring/buildings/{building}/series"),
            lambda r: (
                r.json()["months"][0]["tax_total_cny"] == "1000000.00"
                and r.json()["months"][0]["occupancy_rate"] == 0.85
            ),
        )
        assert series.json()["months"][0]["period"] == "2023-05"
        await feed.send(TOPIC_TAX, b"{not json", key=building)

        doc = document()
        expected = {
            TOPIC_REGISTRY_BUILDINGS: ({building}, 1),
            TOPIC_REGISTRY_MOVEMENTS: ({building}, 1),
            TOPIC_EVENTS: ({event_id}, 1),
            TOPIC_TAX: ({building}, 3),  # and the broken one, which is not the schema's
            TOPIC_OCCUPANCY: ({building}, 1),
            TOPIC_MONITORING_BUILDING_YEARS: ({f"{building}|2023"}, 1),
            TOPIC_DEADLETTER: ({building}, 1),
        }
        for topic, (keys, want) in expected.items():
            messages = await asyncio.to_thread(
                read_topic, broker, topic, keys=keys, want=want, timeout=60
            )
            assert len(messages) >= want, topic
            validator = validator_for(doc, topic)
            for _, value in messages:
                if topic == TOPIC_TAX and value == b"{not json":
                    continue
                message = orjson.loads(value)
                errors = [e.message for e in validator.iter_errors(message)]
                assert not errors, (topic, message, errors)
                TOPICS[topic].message.model_validate(message)  # and as its consumers read it
