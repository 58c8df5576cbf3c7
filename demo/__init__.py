"""The demonstration city (`sbe demo`): a deterministic Suzhou, loaded into a running platform
through its public interfaces only (district keys over HTTP, the feeds on Kafka)."""
