"""Every evaluation table, imported so the service's metadata is complete (migrations, tests)."""

from services.evaluation.db import EvaluationTable

metadata = EvaluationTable.metadata

__all__ = ["metadata"]
