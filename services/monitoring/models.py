"""Every monitoring table, imported so the service's metadata is complete (migrations, tests)."""

from services.monitoring.buildings.models import BuildingCopy
from services.monitoring.db import MonitoringOutbox, MonitoringTable
from services.monitoring.figures.models import (
    BuildingMonth,
    BuildingYear,
    EnterpriseBuildingYear,
    FigureChange,
)
from services.monitoring.ingest.models import DeadLetter, OccupancyRecord, TaxRecord
from services.monitoring.notifications.models import Notification
from services.monitoring.warnings.models import EarlyWarning, WarningSetting, WarningStep

metadata = MonitoringTable.metadata

__all__ = [
    "BuildingCopy",
    "BuildingMonth",
    "BuildingYear",
    "DeadLetter",
    "EarlyWarning",
    "EnterpriseBuildingYear",
    "FigureChange",
    "MonitoringOutbox",
    "Notification",
    "OccupancyRecord",
    "TaxRecord",
    "WarningSetting",
    "WarningStep",
    "metadata",
]
