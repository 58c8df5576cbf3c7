"""API key and audit tables."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from gateway.db import GatewayTable
from shared import UTCDateTime, utcnow


class ApiKey(GatewayTable, table=True):
    """An issued key. Only its SHA-256 is kept: the key itself is shown once, at issue."""

    __tablename__ = "api_key"

    id: str = Field(primary_key=True, max_length=40)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16, description="First characters, to recognise a key.")
    role: str = Field(max_length=16)
    district_id: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=100)
    label: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=40)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedToken(GatewayTable, table=True):
    """A calendar subscription token (日历订阅): it reads the events calendar feed and nothing
    else, with the role and district of whoever made it. Only its SHA-256 is kept."""

    __tablename__ = "feed_token"

    id: str = Field(primary_key=True, max_length=40)
    token_hash: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    district_id: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=100)
    label: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=40, index=True)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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
