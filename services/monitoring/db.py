"""The monitoring service's declarative base (its own metadata)."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class MonitoringTable(SQLModel, registry=registry()):
    """Base of every monitoring table; its metadata is what the monitoring migrations manage."""
