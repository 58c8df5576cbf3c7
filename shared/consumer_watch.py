"""What a consumer's poll loop watches around it: the broker going away and coming back, a topic
recreated under it, and the partitions its group gives it (logged for operators)."""

from __future__ import annotations

import logging
import socket
import time
from typing import Any

from kafka import ConsumerRebalanceListener, KafkaConsumer

from shared.kafka import bootstrap_servers

logger = logging.getLogger("sbe.consumer")


class LogAssignments(ConsumerRebalanceListener):
    """Logs what the group gives this consumer, which operators want to see after a rebalance."""

    def __init__(self, name: str) -> None:
        self.name = name

    def on_partitions_revoked(self, revoked: Any) -> None:
        logger.info("%s: partitions revoked", self.name, extra={"partitions": _names(revoked)})

    def on_partitions_assigned(self, assigned: Any) -> None:
        logger.info("%s: partitions assigned", self.name, extra={"partitions": _names(assigned)})


def _names(partitions: Any) -> list[str]:
    return sorted(f"{tp.topic}[{tp.partition}]" for tp in partitions)


class BrokerCameBack(Exception):
    """The broker was unreachable and answers again."""


class BrokerWatch:
    """Notices the broker going away and coming back, or a topic being recreated under the
    consumer (kafka-python reconnects silently and keeps its positions, which a broker that
    came back empty would make wrong)."""

    def __init__(
        self, consumer: KafkaConsumer, topics: tuple[str, ...], bootstrap: str, every: float = 1.0
    ) -> None:
        self.consumer = consumer
        self.topics = topics
        self.servers = [s.rpartition(":") for s in bootstrap_servers(bootstrap)]
        self.every = every
        self.next_check = time.monotonic() + every
        self.lost = False
        self.topic_ids: dict[str, object] = {}

    def check(self) -> None:
        """At most every second: is the broker there, and are the topics the same ones?"""
        now = time.monotonic()
        if now < self.next_check:
            return
        self.next_check = now + self.every
        reachable = any(self._connects(host, int(port)) for host, _, port in self.servers)
        if not reachable:
            self.lost = True
        elif self.lost:
            raise BrokerCameBack("the broker is reachable again")
        self.check_topics()

    def check_topics(self) -> None:
        """Raise if a topic was recreated since this consumer first saw it."""
        # Topic ids (KIP-516) change when a topic is recreated; kafka-python keeps them on its
        # cluster metadata, which it does not expose through the consumer itself.
        cluster = getattr(getattr(self.consumer, "_client", None), "cluster", None)
        if cluster is None or not hasattr(cluster, "topic_id"):
            return
        for topic in self.topics:
            current = cluster.topic_id(topic)
            if current is None:
                continue
            known = self.topic_ids.setdefault(topic, current)
            if known != current:
                raise BrokerCameBack(f"topic {topic} was recreated")

    @staticmethod
    def _connects(host: str, port: int) -> bool:
        try:
            with socket.create_connection((host, port), timeout=0.3):
                return True
        except OSError:
            return False
