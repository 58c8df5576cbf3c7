"""Every monitoring table, imported so the service's metadata is complete (migrations, tests)."""

from services.monitoring.db import MonitoringTable

metadata = MonitoringTable.metadata

__all__ = ["metadata"]
