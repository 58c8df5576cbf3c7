"""Registry metrics beyond the shared HTTP ones."""

from prometheus_client import Counter

MOVEMENT_RECORDS = Counter(
    "sbe_registry_movement_records_total",
    "Enterprise movement records pushed, by outcome.",
    ["outcome"],  # accepted | duplicate
)
