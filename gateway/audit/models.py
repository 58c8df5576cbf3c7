"""The audit trail's table: one row a request, refused attempt or security event."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from gateway.db import GatewayTable
from shared import UTCDateTime


class AuditEntry(GatewayTable, table=True):
    """One request (or one refused attempt), or one security event: who, what, when, with what
    outcome. A request made with a session names the person; one made with a key, the key."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_key_at", "key_id", "at"),
        Index("ix_audit_entry_user_at", "user_id", "at"),
        Index("ix_audit_entry_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    event: str | None = Field(default=None, max_length=32)
    user_id: str | None = Field(default=None, max_length=40)
    username: str | None = Field(default=None, max_length=64)
    key_id: str | None = Field(default=None, max_length=40)
    role: str | None = Field(default=None, max_length=16)
    district_id: str | None = Field(default=None, max_length=32)
    method: str = Field(max_length=10)
    path: str = Field(max_length=500)
    query: str = Field(default="", max_length=500)
    status: int
    request_id: str = Field(max_length=128)
    client_ip: str = Field(max_length=64)
    duration_ms: float
