"""The AsyncAPI 3.0 document of every topic the platform reads or writes, made from
`policy.topics` (`sbe asyncapi` prints it; docs/asyncapi.json is the checked-in copy that a
test keeps current and checks against real messages from the broker)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from policy import DEFAULT_PARTITIONS, TOPICS, Topic

PLATFORM = frozenset({"registry", "monitoring", "evaluation", "events"})
REF = "#/components/schemas/{model}"


def _channel_id(topic: str) -> str:
    """sbe.registry.buildings.v1 → registryBuildings (AsyncAPI ids are plain names)."""
    words = topic.removeprefix("sbe.").removesuffix(".v1").replace("-", ".").split(".")
    return words[0] + "".join(w.capitalize() for w in words[1:])


def _schemas(models: list[type[BaseModel]]) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=REF, mode="validation")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return dict(sorted(schemas.items()))


def _description(topic: Topic) -> str:
    partitions = (
        f"{DEFAULT_PARTITIONS[topic.partitions]} partitions by default "
        f"(SBE_{topic.partitions.upper()})"
    )
    compaction = "Compacted (the latest message per key is kept). " if topic.compacted else ""
    producers, consumers = ", ".join(topic.producers), ", ".join(topic.consumers)
    return (
        f"Key: {topic.key}. {compaction}{partitions}. Written by {producers}; read by {consumers}."
    )


def document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in TOPICS.values():
        channel = _channel_id(topic.name)
        name = topic.message.__name__
        messages[name] = {
            "name": name,
            "title": (topic.message.__doc__ or name).strip().splitlines()[0],
            "contentType": "application/json",
            "payload": {"$ref": REF.format(model=name)},
            "bindings": {
                "kafka": {
                    "key": {"type": "string", "description": topic.key},
                    "bindingVersion": "0.5.0",
                }
            },
        }
        channels[channel] = {
            "address": topic.name,
            "description": _description(topic),
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "kafka": {
                    "topic": topic.name,
                    "partitions": DEFAULT_PARTITIONS[topic.partitions],
                    "topicConfiguration": {
                        "cleanup.policy": ["compact" if topic.compacted else "delete"]
                    },
                    "bindingVersion": "0.5.0",
                }
            },
        }
        reference = {"$ref": f"#/channels/{channel}"}
        message_ref = [{"$ref": f"#/channels/{channel}/messages/{name}"}]
        # The platform's view: what its services send and receive.
        if PLATFORM & set(topic.producers):
            operations[f"send{channel[0].upper()}{channel[1:]}"] = {
                "action": "send",
                "channel": reference,
                "messages": message_ref,
                "summary": f"{', '.join(p for p in topic.producers if p in PLATFORM)} sends",
            }
        if PLATFORM & set(topic.consumers):
            operations[f"receive{channel[0].upper()}{channel[1:]}"] = {
                "action": "receive",
                "channel": reference,
                "messages": message_ref,
                "summary": f"{', '.join(c for c in topic.consumers if c in PLATFORM)} receives",
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "苏州楼宇经济智慧平台 · Kafka topics",
            "version": "1.0.0",
            "description": "Every topic the platform reads or writes, with its message schema. "
            "Producers of the two feeds (sbe.occupancy.v1 from property managers, sbe.tax.v1 "
            "from the tax bureau) start with docs/feeds.md.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "The broker of the deployment (SBE_KAFKA_BOOTSTRAP).",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": _schemas([t.message for t in TOPICS.values()]),
        },
    }
