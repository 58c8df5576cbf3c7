"""Every events table, imported so the service's metadata is complete (migrations, tests)."""

from services.events.db import EventsOutbox, EventsTable
from services.events.schedule.evidence import EventAttachment, EventBlob
from services.events.schedule.models import Event, EventChange

metadata = EventsTable.metadata

__all__ = ["Event", "EventAttachment", "EventBlob", "EventChange", "EventsOutbox", "metadata"]
