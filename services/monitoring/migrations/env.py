"""Alembic environment of the monitoring service (its own schema and history)."""

from services.monitoring.models import metadata
from shared.ops import run_env

run_env(metadata)
