"""Response models of the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class AuditEntryPublic(SQLModel):
    """One request, or one security event (sign-in, lock, password change…): who, what, when."""

    at: datetime = Field(description="When.")
    event: str | None = Field(
        default=None,
        description="A security event (login, login_failed, account_locked, logout, "
        "password_changed, password_reset, second_factor_enrolled, user_created, user_changed, "
        "session_ended); none for an API request.",
    )
    user_id: str | None = Field(default=None, description="The person, for a session's request.")
    username: str | None = Field(default=None, description="The person's username.")
    key_id: str | None = Field(description="Which key (none for a person or an unknown key).")
    role: str | None = Field(description="Its role.")
    district_id: str | None = Field(description="Its district.")
    method: str = Field(description="HTTP method.")
    path: str = Field(description="Path requested.")
    query: str = Field(description="Query string.")
    status: int = Field(description="Status answered.")
    request_id: str = Field(description="X-Request-ID, to find the request in the logs.")
    client_ip: str = Field(description="Client address.")
    duration_ms: float = Field(description="Time taken.")


class AuditPage(SQLModel):
    """One page of the audit trail, newest first."""

    items: list[AuditEntryPublic] = Field(description="Audit entries.")
    total: int = Field(description="How many match in all.")
