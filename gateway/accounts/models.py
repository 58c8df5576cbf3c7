"""Tables of people's accounts: users, their past passwords, recovery codes and sessions."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from gateway.db import GatewayTable
from shared import UTCDateTime, utcnow


class User(GatewayTable, table=True):
    """A person who signs in (督查室, 发改委, district and bureau staff)."""

    __tablename__ = "app_user"

    id: str = Field(primary_key=True, max_length=40)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    district_id: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=100)
    status: str = Field(default="active", max_length=16)
    password_hash: str = Field(max_length=200)
    password_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    password_change_required: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_pending_secret: str | None = Field(default=None, max_length=64)
    totp_last_step: int | None = Field(default=None, description="Last TOTP step used (no reuse).")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=40)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PasswordHistory(GatewayTable, table=True):
    """Hashes of a person's earlier passwords (none of the last five may come back)."""

    __tablename__ = "password_history"

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(foreign_key="app_user.id", max_length=40, index=True)
    password_hash: str = Field(max_length=200)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecoveryCode(GatewayTable, table=True):
    """A one-time code that stands in for the second factor once (kept as a SHA-256)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(foreign_key="app_user.id", max_length=40, index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserSession(GatewayTable, table=True):
    """A signed-in session: the cookie's token and the CSRF token are kept as SHA-256 only."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_ended", "user_id", "ended_at"),)

    id: str = Field(primary_key=True, max_length=40)
    token_hash: str = Field(max_length=64, unique=True)
    csrf_hash: str = Field(max_length=64)
    user_id: str = Field(foreign_key="app_user.id", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, description="The absolute time-out.")
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_reason: str | None = Field(default=None, max_length=32)
    client_ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=200)
