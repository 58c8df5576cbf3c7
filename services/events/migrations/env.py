"""Alembic environment of the events service (its own schema and history)."""

from services.events.models import metadata
from shared.ops import run_env

run_env(metadata)
