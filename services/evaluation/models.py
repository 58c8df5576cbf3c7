"""Every evaluation table, imported so the service's metadata is complete (migrations, tests)."""

from services.evaluation.db import EvaluationTable
from services.evaluation.targets.models import Target, TargetVersion

metadata = EvaluationTable.metadata

__all__ = ["Target", "TargetVersion", "metadata"]
