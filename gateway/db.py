"""The gateway's declarative base: API keys and the audit trail live in its own schema."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class GatewayTable(SQLModel, registry=registry()):
    """Base of every gateway table."""
