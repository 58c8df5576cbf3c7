"""The monitoring service's declarative base (its own metadata) and its outbox table."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from shared.messaging import OutboxMessageBase, outbox_table_args


class MonitoringTable(SQLModel, registry=registry()):
    """Base of every monitoring table; its metadata is what the monitoring migrations manage."""


class MonitoringOutbox(MonitoringTable, OutboxMessageBase, table=True):
    """Dead letters and figures to publish once the transaction that made them commits."""

    __tablename__ = "outbox"
    __table_args__ = outbox_table_args()
