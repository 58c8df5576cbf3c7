"""Every events table, imported so the service's metadata is complete (migrations, tests)."""

from services.events.db import EventsTable

metadata = EventsTable.metadata

__all__ = ["metadata"]
