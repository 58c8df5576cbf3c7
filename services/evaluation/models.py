"""Every evaluation table, imported so the service's metadata is complete (migrations, tests)."""

from services.evaluation.bluebook.models import BookRendition
from services.evaluation.db import EvaluationTable
from services.evaluation.history.models import TaxHistory
from services.evaluation.inputs.models import (
    BuildingCopy,
    BuildingYearCopy,
    CopiesGeneration,
    DesignationCopy,
    EventCopy,
    MovementCopy,
    RenovationCopy,
)
from services.evaluation.publications.models import Publication
from services.evaluation.scoring.models import DistrictSums, ScoringScheme
from services.evaluation.targets.models import Target, TargetVersion
from services.evaluation.tasks.evidence import ReportAttachment, ReportBlob
from services.evaluation.tasks.models import KeyTask, TaskReport

metadata = EvaluationTable.metadata

__all__ = [
    "BookRendition",
    "BuildingCopy",
    "BuildingYearCopy",
    "CopiesGeneration",
    "DesignationCopy",
    "DistrictSums",
    "EventCopy",
    "KeyTask",
    "MovementCopy",
    "Publication",
    "RenovationCopy",
    "ReportAttachment",
    "ReportBlob",
    "ScoringScheme",
    "Target",
    "TargetVersion",
    "TaskReport",
    "TaxHistory",
    "metadata",
]
