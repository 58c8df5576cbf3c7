"""Gateway metrics beyond the shared HTTP ones."""

from prometheus_client import Counter

AUTH_FAILURES = Counter(
    "sbe_gateway_auth_failures_total",
    "Requests refused for a missing, unknown or revoked key.",
    ["reason"],
)
RATE_LIMITED = Counter(
    "sbe_gateway_rate_limited_total",
    "Requests refused with 429, by the key's role (`client`: the per-address limit, applied "
    "before authentication).",
    ["role"],
)
UPSTREAM_ERRORS = Counter(
    "sbe_gateway_upstream_errors_total", "Upstream failures answered 502/504.", ["upstream", "kind"]
)
KEY_CACHE = Counter("sbe_gateway_key_cache_total", "API key lookups by cache outcome.", ["result"])
AUDIT_WRITTEN = Counter("sbe_gateway_audit_entries_total", "Audit entries stored.")
AUDIT_DROPPED = Counter(
    "sbe_gateway_audit_dropped_total", "Audit entries dropped because the buffer was full."
)
AUDIT_REJECTED = Counter(
    "sbe_gateway_audit_rejected_total",
    "Audit entries the database refused; logged without their content and dropped.",
)
