"""Alembic environment of the evaluation service (its own schema and history)."""

from services.evaluation.models import metadata
from shared.ops import run_env

run_env(metadata)
