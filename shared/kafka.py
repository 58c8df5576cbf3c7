"""Kafka helpers: clients built the same way everywhere, topic creation, reachability (the
topics themselves are declared in policy/topics.py).

kafka-python is synchronous: callers run these from a thread (`asyncio.to_thread`) or from a
consumer's own poll thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError


@dataclass(frozen=True)
class TopicSpec:
    """A topic the platform owns: its partitions and whether it is compacted (latest per key)."""

    name: str
    partitions: int = 1
    compacted: bool = False


logger = logging.getLogger("sbe.kafka")


def bootstrap_servers(bootstrap: str) -> list[str]:
    """'a:1,b:2' → ['a:1', 'b:2']."""
    return [part.strip() for part in bootstrap.split(",") if part.strip()]


def create_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    """A producer that waits for every replica and keeps per-key order on retries.

    Idempotence stays off: an idempotent kafka-python producer never recovers from a restart
    of the bundled broker, and the consumers are idempotent on record ids anyway.
    """
    options: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers(bootstrap),
        "acks": "all",
        "enable_idempotence": False,
        "retries": 5,
        "max_in_flight_requests_per_connection": 1,
        "linger_ms": 5,
        "request_timeout_ms": 15000,
        "client_id": "sbe",
    }
    options.update(overrides)
    return KafkaProducer(**options)


def ensure_topics(bootstrap: str, specs: list[TopicSpec]) -> None:
    """Create the topics that are missing (blocking)."""
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap_servers(bootstrap),
        client_id="sbe-admin",
        request_timeout_ms=15000,
    )
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(
                spec.name,
                spec.partitions,
                1,
                topic_configs={"cleanup.policy": "compact"} if spec.compacted else {},
            )
            for spec in specs
            if spec.name not in existing
        ]
        if missing:
            # Another replica may have created them first.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(missing)
            logger.info("created topics", extra={"topics": [t.name for t in missing]})
    finally:
        admin.close()


async def broker_reachable(bootstrap: str, wait_seconds: float = 1.0) -> bool:
    """True when at least one bootstrap server accepts a TCP connection."""
    for server in bootstrap_servers(bootstrap):
        host, _, port = server.rpartition(":")
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(host, int(port)), wait_seconds
            )
        except (OSError, TimeoutError):
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True
    return False
