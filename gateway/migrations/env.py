"""Alembic environment of the gateway (API keys and audit trail)."""

from gateway.models import metadata
from shared.ops import run_env

run_env(metadata)
