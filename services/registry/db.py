"""The registry's declarative base (its own metadata) and its outbox table."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from shared.messaging import OutboxMessageBase, outbox_table_args


class RegistryTable(SQLModel, registry=registry()):
    """Base of every registry table; its metadata is what the registry's migrations manage."""


class RegistryOutbox(RegistryTable, OutboxMessageBase, table=True):
    """Messages to publish once the transaction that wrote them has committed."""

    __tablename__ = "outbox"
    __table_args__ = outbox_table_args()
