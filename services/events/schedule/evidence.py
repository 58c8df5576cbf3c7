"""Evidence of events (签到表, 现场照片, 纪要…): files and links, in the events database."""

from __future__ import annotations

from policy import AttachmentColumns, BlobColumns, DatabaseBlobs, evidence_router
from services.events.db import EventsTable
from services.events.schedule import service
from shared import PrincipalDep, SessionDep, WriterDep
from shared.params import TextId


class EventAttachment(EventsTable, AttachmentColumns, table=True):
    """A file or a link attached to an event."""

    __tablename__ = "attachment"


class EventBlob(EventsTable, BlobColumns, table=True):
    """The bytes of the events' files, once per distinct content."""

    __tablename__ = "blob"


async def readable(session: SessionDep, principal: PrincipalDep, event_id: TextId) -> str:
    """The event, for those who may see it."""
    await service.read(session, principal, event_id)
    return event_id


async def writable(session: SessionDep, principal: WriterDep, event_id: TextId) -> str:
    """The event, for those who may change it (its district, the administrator)."""
    await service.ensure_may_attach(session, principal, event_id)
    return event_id


router = evidence_router(
    "/api/v1/events/{event_id}/evidence",
    tag="events",
    table=EventAttachment,
    blobs=DatabaseBlobs(EventBlob),
    readable=readable,
    writable=writable,
    added=service.evidence_added,
)
