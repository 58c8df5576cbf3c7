"""Every events table, imported so the service's metadata is complete (migrations, tests)."""

from services.events.db import EventsOutbox, EventsTable
from services.events.schedule.models import Event, EventChange

metadata = EventsTable.metadata

__all__ = ["Event", "EventChange", "EventsOutbox", "metadata"]
