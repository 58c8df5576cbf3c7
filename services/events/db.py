"""The events service's declarative base (its own metadata) and its outbox table."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from shared.messaging import OutboxMessageBase, outbox_table_args


class EventsTable(SQLModel, registry=registry()):
    """Base of every events table; its metadata is what the events migrations manage."""


class EventsOutbox(EventsTable, OutboxMessageBase, table=True):
    """Event changes to publish once the transaction that made them commits."""

    __tablename__ = "outbox"
    __table_args__ = outbox_table_args()
