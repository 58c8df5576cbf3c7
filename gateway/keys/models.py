"""API key and calendar feed token tables."""

from datetime import datetime

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
