"""Monitoring metrics (the first two feed the alerts in deploy/prometheus; docs/operations.md)."""

from prometheus_client import Counter, Gauge, Histogram

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from services.monitoring.ingest.schemas import DeadLetterReason

INGEST_RECORDS = Counter(
    "sbe_ingest_records_total",
    "Feed records by topic and outcome (stored, duplicate, corrected, deadletter).",
    ["topic", "outcome"],
)
CONSUMER_LAG = Gauge(
    "sbe_ingest_consumer_lag",
    "Messages between the consumer's position and the partition's high-water mark.",
    ["topic", "partition"],
)
BATCH_SIZE = Histogram(
    "sbe_ingest_batch_size",
    "Messages per stored batch.",
    buckets=(1, 10, 50, 100, 500, 1000, 2000, 5000, 10000),
)
BATCH_DURATION = Histogram(
    "sbe_ingest_batch_duration_seconds",
    "Time to validate and durably store one batch.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DEAD_LETTERS = Counter(
    "sbe_ingest_deadletters_total", "Messages set aside, by topic and reason.", ["topic", "reason"]
)
BATCH_FAILURES = Counter(
    "sbe_ingest_batch_failures_total",
    "Batches that failed and will be retried (database or registry away).",
)

# Every series exists from the start at 0, so the first record of a kind shows as an increase
# (Prometheus cannot tell a series born at 1 from one that always was 1).
for _topic in (TOPIC_OCCUPANCY, TOPIC_TAX):
    for _outcome in ("stored", "duplicate", "corrected", "deadletter"):
        INGEST_RECORDS.labels(_topic, _outcome)
    for _reason in DeadLetterReason:
        DEAD_LETTERS.labels(_topic, _reason.value)
