"""Alembic environment of the registry (its own schema and history)."""

from services.registry.models import metadata
from shared.ops import run_env

run_env(metadata)
