"""Request and response models for people's accounts, sign-in and sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
    model_validator,
)
from sqlmodel import Field, SQLModel

from gateway.keys.schemas import IssuableRole, check_binding
from shared import Line, RequestModel

Username = Annotated[
    str, StringConstraints(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class UserStatus(StrEnum):
    active = "active"
    disabled = "disabled"


class UserCreate(RequestModel):
    """A person's account to create; an initial password is made and shown once."""

    username: Username = Field(description="Sign-in name: letters, digits, . _ -")
    display_name: Line = Field(min_length=1, max_length=100, description="Name, e.g. 王科长.")
    role: IssuableRole = Field(description="admin, supervision, district or bureau.")
    district_id: str | None = Field(
        default=None, max_length=32, description="Required for, and only for, district staff."
    )
    unit: str | None = Field(
        default=None, max_length=100, description="Required for, and only for, bureau staff."
    )

    @model_validator(mode="after")
    def _binding(self) -> UserCreate:
        check_binding(self.role, self.district_id, self.unit)
        return self


class UserUpdate(RequestModel):
    """Changes an administrator makes to an account (all optional)."""

    display_name: Line | None = Field(default=None, min_length=1, max_length=100)
    status: UserStatus | None = Field(
        default=None, description="disabled ends every session of the person at once."
    )
    role: IssuableRole | None = Field(default=None, description="A new role (with its binding).")
    district_id: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=100)
    reset: bool = Field(
        default=False,
        description="Make a new initial password (shown once); the person must change it.",
    )
    reset_second_factor: bool = Field(
        default=False, description="Remove the person's TOTP and recovery codes (to enrol anew)."
    )
    unlock: bool = Field(default=False, description="End a lock after failed sign-ins.")


class UserPublic(SQLModel):
    """An account, without secrets."""

    id: str = Field(description="User id.")
    username: str = Field(description="Sign-in name.")
    display_name: str = Field(description="Name.")
    role: IssuableRole = Field(description="Role.")
    district_id: str | None = Field(description="District, for district staff.")
    unit: str | None = Field(default=None, description="Unit, for bureau staff.")
    status: UserStatus = Field(description="active or disabled.")
    second_factor: bool = Field(default=False, description="TOTP enrolled.")
    locked_until: datetime | None = Field(default=None, description="Locked until, if locked.")
    created_at: datetime = Field(description="When the account was made.")
    last_login_at: datetime | None = Field(default=None, description="Last sign-in.")


class UserIssued(SQLModel):
    """An account with its initial password: the only time it is shown (the answer to its creation;
    `unit` joins it only for the bureau role)."""

    id: str = Field(description="User id.")
    username: str = Field(description="Sign-in name.")
    display_name: str = Field(description="Name.")
    role: IssuableRole = Field(description="Role.")
    district_id: str | None = Field(description="District, for district staff.")
    unit: str | None = Field(default=None, description="Unit, for bureau staff only.")
    status: UserStatus = Field(description="active or disabled.")
    initial_password: str = Field(description="To be changed at first sign-in. Shown once.")

    @model_serializer(mode="wrap")
    def _unit_for_bureaus_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if self.unit is None:
            data.pop("unit", None)
        return data


class Login(RequestModel):
    """Sign-in with a username, a password and, once enrolled, the second factor."""

    username: Annotated[str, StringConstraints(max_length=64)] = Field(description="Username.")
    password: Secret = Field(description="Password.")
    totp: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, description="The authenticator's 6 digits, or a recovery code."
    )


class SignedIn(SQLModel):
    """A new session: the cookie carries it; unsafe requests send `X-CSRF-Token`."""

    user: UserPublic = Field(description="Who signed in.")
    csrf_token: str = Field(description="Send as X-CSRF-Token with POST, PUT, PATCH, DELETE.")
    password_change_required: bool = Field(
        description="The password must be changed before anything else."
    )
    second_factor_enrolment_required: bool = Field(
        default=False, description="A second factor must be enrolled before anything else."
    )
    expires_at: datetime = Field(description="When the session ends at the latest.")


class Me(SQLModel):
    """The signed-in person and what they must do first."""

    user: UserPublic = Field(description="Who is signed in.")
    password_change_required: bool = Field(description="Password change pending.")
    second_factor_enrolment_required: bool = Field(description="TOTP enrolment pending.")
    session_id: str = Field(description="This session's id.")


class PasswordChange(RequestModel):
    """A new password, proven by the current one."""

    current_password: Secret = Field(description="The current password.")
    new_password: Secret = Field(
        description="At least 10 characters of three classes; not containing the username; "
        "none of the last five."
    )


class TotpEnrolment(SQLModel):
    """A second factor being enrolled: scan the URI (QR code), then confirm with a code."""

    secret: str = Field(description="The base32 secret, for manual entry.")
    provisioning_uri: str = Field(description="otpauth:// URI for the authenticator app.")


class TotpConfirm(RequestModel):
    """The first code from the authenticator, proving the enrolment."""

    code: Annotated[str, StringConstraints(min_length=6, max_length=6)] = Field(
        description="6 digits."
    )


class RecoveryCodes(SQLModel):
    """Ten one-time codes, each standing in for the authenticator once. Shown once."""

    recovery_codes: list[str] = Field(description="Keep them somewhere safe.")


class SessionPublic(SQLModel):
    """A session, without its token."""

    id: str = Field(description="Session id.")
    user_id: str = Field(description="Whose.")
    created_at: datetime = Field(description="Sign-in time.")
    last_seen_at: datetime = Field(description="Last request.")
    expires_at: datetime = Field(description="Absolute end.")
    client_ip: str = Field(description="Address at sign-in.")
    user_agent: str = Field(description="Browser at sign-in.")
    current: bool = Field(default=False, description="The session of this request.")
