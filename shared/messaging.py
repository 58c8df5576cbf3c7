"""What services use to talk over Kafka: topics and producers, the batch consumer and its dead
letters, the transactional outbox and its relay, and periodic background work."""

from shared.consumer import BatchConsumer, consumer_config, consuming
from shared.deadletters import (
    ENVELOPE_VALUE_BYTES,
    TOPIC_DEADLETTER,
    DeadLetterMessage,
    KafkaDeadLetters,
    Letter,
    TransientError,
    describe_failure,
    envelope,
    is_transient,
)
from shared.kafka import TopicSpec, broker_reachable, create_producer, ensure_topics
from shared.outbox import (
    MAX_ATTEMPTS,
    OutboxMessageBase,
    OutboxRelay,
    enqueue,
    outbox_table_args,
    relaying,
    write_messages,
)
from shared.outbox_api import outbox_router
from shared.periodic import every
from shared.settings import ConsumerSettings

__all__ = [
    "ENVELOPE_VALUE_BYTES",
    "MAX_ATTEMPTS",
    "TOPIC_DEADLETTER",
    "BatchConsumer",
    "ConsumerSettings",
    "DeadLetterMessage",
    "KafkaDeadLetters",
    "Letter",
    "OutboxMessageBase",
    "OutboxRelay",
    "TopicSpec",
    "TransientError",
    "broker_reachable",
    "consumer_config",
    "consuming",
    "create_producer",
    "describe_failure",
    "enqueue",
    "ensure_topics",
    "envelope",
    "every",
    "is_transient",
    "outbox_router",
    "outbox_table_args",
    "relaying",
    "write_messages",
]
