"""Request and response models for API keys and calendar feed tokens."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import SerializerFunctionWrapHandler, model_serializer, model_validator
from sqlmodel import Field, SQLModel

from policy import district_ids, municipal_units
from shared import Line, RequestModel


class IssuableRole(StrEnum):
    """Roles a key or a person can have (platform services have their own identity)."""

    admin = "admin"
    supervision = "supervision"
    district = "district"
    bureau = "bureau"


def bureau_units() -> list[str]:
    """The municipal units that can hold the bureau role: those Annex 2 makes responsible for a
    task, except the district governments (which report through district accounts)."""
    return list(municipal_units())


def check_binding(role: IssuableRole, district_id: str | None, unit: str | None) -> None:
    """A district role names its district, a bureau its unit, and no other role either."""
    if role is IssuableRole.district:
        if district_id is None:
            raise ValueError("district_id is required for the district role")
        if district_id not in district_ids():
            raise ValueError(f"district_id {district_id!r} is not one of the ten districts")
    elif district_id is not None:
        raise ValueError(f"the {role.value} role is not bound to a district")
    if role is IssuableRole.bureau:
        if unit is None:
            raise ValueError("unit is required for the bureau role")
        if unit not in bureau_units():
            raise ValueError(f"unit {unit!r} is not a responsible unit of the plan")
    elif unit is not None:
        raise ValueError(f"the {role.value} role is not bound to a unit")


class ApiKeyCreate(RequestModel):
    """A key to issue. A district key names its district, a bureau key its unit."""

    role: IssuableRole = Field(
        description="admin (发改委), supervision (督查室), district or bureau (市级部门)."
    )
    district_id: str | None = Field(
        default=None, max_length=32, description="Required for, and only for, district keys."
    )
    unit: str | None = Field(
        default=None, max_length=100, description="Required for, and only for, bureau keys."
    )
    label: Line = Field(
        min_length=1, max_length=100, description="Who holds it, e.g. 姑苏区数据平台."
    )

    @model_validator(mode="after")
    def _binding(self) -> "ApiKeyCreate":
        check_binding(self.role, self.district_id, self.unit)
        return self


class ApiKeyPublic(SQLModel):
    """An issued key, without the secret."""

    id: str = Field(description="Key id (used to revoke it).")
    role: IssuableRole = Field(description="The key's role.")
    district_id: str | None = Field(description="The district a district key is bound to.")
    unit: str | None = Field(default=None, description="The unit a bureau key is bound to.")
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
    unit: str | None = Field(
        default=None, description="The unit a bureau key is bound to (only for bureau keys)."
    )
    label: str = Field(description="Who holds it.")

    @model_serializer(mode="wrap")
    def _unit_for_bureaus_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The contract's answer is {id, key, role, district_id, label}; `unit` joins it only
        # for the bureau role, which the contract does not know.
        data: dict[str, Any] = handler(self)
        if self.unit is None:
            data.pop("unit", None)
        return data


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
