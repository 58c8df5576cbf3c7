"""The events service's declarative base (its own metadata)."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class EventsTable(SQLModel, registry=registry()):
    """Base of every events table; its metadata is what the events migrations manage."""
