"""The platform's Kafka topics, declared once: each topic's name, the message model it
carries (policy/messages.py), its key, its partitions, whether it is compacted, who writes it
and who reads it. Topic creation (shared/kafka.py), the producers and consumers and the
AsyncAPI document (`sbe asyncapi`) all read this table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from policy.messages import (
    BuildingMessage,
    BuildingYearMessage,
    EventMessage,
    MovementMessage,
    OccupancyMessage,
    TaxMessage,
)
from shared.messaging import TOPIC_DEADLETTER, DeadLetterMessage, TopicSpec

TOPIC_OCCUPANCY = "sbe.occupancy.v1"
TOPIC_TAX = "sbe.tax.v1"
TOPIC_REGISTRY_BUILDINGS = "sbe.registry.buildings.v1"
TOPIC_REGISTRY_MOVEMENTS = "sbe.registry.movements.v1"
TOPIC_EVENTS = "sbe.events.v1"
TOPIC_MONITORING_BUILDING_YEARS = "sbe.monitoring.building-years.v1"


PartitionSetting = Literal["feed_partitions", "topic_partitions"]
DEFAULT_PARTITIONS: dict[PartitionSetting, int] = {"feed_partitions": 6, "topic_partitions": 3}


@dataclass(frozen=True)
class Topic:
    """A topic, its message and who writes and reads it."""

    name: str
    message: type[BaseModel]
    key: str
    compacted: bool
    partitions: PartitionSetting  # the setting (SBE_FEED_PARTITIONS, SBE_TOPIC_PARTITIONS)
    producers: tuple[str, ...]
    consumers: tuple[str, ...]

    def spec(self, settings: Any = None) -> TopicSpec:
        """How the topic is created: partitions from the caller's settings when it has them."""
        partitions = getattr(settings, self.partitions, DEFAULT_PARTITIONS[self.partitions])
        return TopicSpec(self.name, partitions, compacted=self.compacted)


TOPICS: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic(
            TOPIC_OCCUPANCY,
            OccupancyMessage,
            "building_id",
            compacted=False,
            partitions="feed_partitions",
            producers=("property managers (物业)",),
            consumers=("monitoring",),
        ),
        Topic(
            TOPIC_TAX,
            TaxMessage,
            "building_id",
            compacted=False,
            partitions="feed_partitions",
            producers=("tax bureau (税务)",),
            consumers=("monitoring",),
        ),
        Topic(
            TOPIC_DEADLETTER,
            DeadLetterMessage,
            "the original message's key",
            compacted=False,
            partitions="feed_partitions",
            producers=("monitoring", "evaluation"),
            consumers=("operations",),
        ),
        Topic(
            TOPIC_REGISTRY_BUILDINGS,
            BuildingMessage,
            "building id",
            compacted=True,
            partitions="topic_partitions",
            producers=("registry",),
            consumers=("monitoring", "evaluation"),
        ),
        Topic(
            TOPIC_REGISTRY_MOVEMENTS,
            MovementMessage,
            "building id",
            compacted=False,
            partitions="topic_partitions",
            producers=("registry",),
            consumers=("monitoring", "evaluation"),
        ),
        Topic(
            TOPIC_EVENTS,
            EventMessage,
            "event id",
            compacted=True,
            partitions="topic_partitions",
            producers=("events",),
            consumers=("evaluation",),
        ),
        Topic(
            TOPIC_MONITORING_BUILDING_YEARS,
            BuildingYearMessage,
            "building_id|year",
            compacted=True,
            partitions="feed_partitions",
            producers=("monitoring",),
            consumers=("evaluation", "registry"),
        ),
    )
}


def topic_specs(names: tuple[str, ...] | list[str], settings: Any = None) -> tuple[TopicSpec, ...]:
    """The specs of the named topics, partitions from `settings` where it has the setting."""
    return tuple(TOPICS[name].spec(settings) for name in names)
