"""The registry's declarative base (its own metadata) and its outbox table."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from shared import OutboxMessageBase


class RegistryTable(SQLModel, registry=registry()):
    """Base of every registry table; its metadata is what the registry's migrations manage."""


class RegistryOutbox(RegistryTable, OutboxMessageBase, table=True):
    """Messages to publish once the transaction that wrote them has committed."""

    __tablename__ = "outbox"
