"""The monitoring service's own copy of the registry's buildings."""

from policy import BuildingCopyBase
from services.monitoring.db import MonitoringTable


class BuildingCopy(MonitoringTable, BuildingCopyBase, table=True):
    """A building as the registry last announced it (never read from the registry's tables)."""

    __tablename__ = "building"
