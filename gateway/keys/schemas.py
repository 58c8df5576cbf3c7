"""Request and response models for API keys and the audit trail."""

from datetime import datetime
from enum import StrEnum

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from shared import Line, RequestModel
from shared.reference import district_ids


class IssuableRole(StrEnum):
    """Roles a key can be issued with (platform services have their own identity)."""

    admin = "admin"
    supervision = "supervision"
    district = "district"


class ApiKeyCreate(RequestModel):
    """A key to issue. A district key names its district; other roles name none."""

    role: IssuableRole = Field(description="admin (发改委), supervision (督查室) or district.")
    district_id: str | None = Field(
        default=None, description="Required for, and only for, district keys."
    )
    label: Line = Field(
        min_length=1, max_length=100, description="Who holds it, e.g. 姑苏区数据平台."
    )

    @model_validator(mode="after")
    def _district_binding(self) -> "ApiKeyCreate":
        if self.role is IssuableRole.district:
            if self.district_id is None:
                raise ValueError("district_id is required for a district key")
            if self.district_id not in district_ids():
                raise ValueError(
                    f"district_id {self.district_id!r} is not one of the ten districts"
                )
        elif self.district_id is not None:
            raise ValueError(f"a {self.role.value} key is not bound to a district")
        return self


class ApiKeyPublic(SQLModel):
    """An issued key, without the secret."""

    id: str = Field(description="Key id (used to revoke it).")
    role: IssuableRole = Field(description="The key's role.")
    district_id: str | None = Field(description="The district a district key is bound to.")
    label: str = Field(description="Who holds it.")
    prefix: str = Field(description="The key's first characters, to recognise it.")
    created_at: datetime = Field(description="When it was issued.")
    created_by: str = Field(description="Id of the key that issued it.")
    revoked_at: datetime | None = Field(description="When it was revoked, if it was.")


class ApiKeyIssued(SQLModel):
    """A newly issued key: the only time the secret is shown."""

    id: str = Field(description="Key id.")
    key: str = Field(description="The secret to send as `Authorization: Bearer <key>`. Shown once.")
    role: IssuableRole = Field(description="The key's role.")
    district_id: str | None = Field(description="The district a district key is bound to.")
    label: str = Field(description="Who holds it.")


class AuditEntryPublic(SQLModel):
    """One use of a key."""

    at: datetime = Field(description="When.")
    key_id: str | None = Field(description="Which key (none when the key was not recognised).")
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


class FeedTokenCreate(RequestModel):
    """A calendar subscription to make for the caller."""

    label: Line = Field(
        min_length=1, max_length=100, description="Where it is used, e.g. 王科长的手机日历."
    )


class FeedTokenPublic(SQLModel):
    """A calendar subscription token, without the secret."""

    id: str = Field(description="Token id (used to revoke it).")
    role: IssuableRole = Field(description="The role its calendar is read with.")
    district_id: str | None = Field(description="The district it is read for, if any.")
    label: str = Field(description="Where it is used.")
    created_at: datetime = Field(description="When it was made.")
    created_by: str = Field(description="Id of the key that made it.")
    revoked_at: datetime | None = Field(description="When it was revoked, if it was.")


class FeedTokenIssued(FeedTokenPublic):
    """A new token: the only time the secret and the subscription address are shown."""

    token: str = Field(description="The secret. Shown once.")
    url: str = Field(
        description="The subscription address (path and query) to give a calendar application."
    )
