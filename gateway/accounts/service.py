"""Rules for people's accounts: who may sign in, when an account locks, what a password must be,
when a second factor is required, and how long a session lives (GB/T 22239-2019 level 3)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.accounts import passwords, repository, totp
from gateway.accounts.models import PasswordHistory, User, UserSession
from gateway.accounts.schemas import (
    PasswordChange,
    UserCreate,
    UserIssued,
    UserPublic,
    UserStatus,
    UserUpdate,
)
from gateway.keys import repository as keys
from gateway.keys.schemas import IssuableRole, check_binding
from gateway.settings import GatewaySettings
from shared import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Principal,
    Role,
    ValidationFailed,
    utcnow,
)

WRONG_CREDENTIALS = "Wrong username or password."


def sha256(text: str) -> str:
    """How session and CSRF tokens are kept (256 random bits: a fast hash is enough)."""
    return hashlib.sha256(text.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    """The same principal an API key with this role and binding would give."""
    return Principal(
        key_id=user.id,
        role=Role(user.role),
        district_id=user.district_id,
        label=user.display_name,
        unit=user.unit,
        user=user.username,
    )


def public(user: User, now: datetime | None = None) -> UserPublic:
    now = now or utcnow()
    locked = user.locked_until if user.locked_until and user.locked_until > now else None
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=IssuableRole(user.role),
        district_id=user.district_id,
        unit=user.unit,
        status=UserStatus(user.status),
        second_factor=user.totp_secret is not None,
        locked_until=locked,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def issued_view(user: User, initial_password: str) -> UserIssued:
    """An account as the answer that carries its one-time password."""
    return UserIssued(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=IssuableRole(user.role),
        district_id=user.district_id,
        unit=user.unit,
        status=UserStatus(user.status),
        initial_password=initial_password,
    )


def password_change_required(user: User, settings: GatewaySettings, now: datetime) -> bool:
    """At first sign-in, after a reset, and once the password is older than the expiry."""
    expired = user.password_changed_at + timedelta(days=settings.password_expiry_days) < now
    return user.password_change_required or expired


def enrolment_required(user: User, settings: GatewaySettings) -> bool:
    """Administrators (and everyone, when the setting says so) need a second factor."""
    needed = user.role == Role.admin.value or settings.second_factor_for_all
    return needed and user.totp_secret is None


@dataclass
class Event:
    """A security event for the audit trail."""

    name: str
    user: User | None = None
    username: str | None = None


@dataclass
class Outcome:
    """What an operation did, and the events it leaves for the audit trail."""

    events: list[Event] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)  # token hashes of sessions it ended


# --- administration ---------------------------------------------------------------------------


async def create_user(
    session: AsyncSession, principal: Principal, data: UserCreate
) -> tuple[UserIssued, Outcome]:
    """A new account with a one-time initial password."""
    username = data.username.lower()
    if await repository.user_by_name(session, username) is not None:
        raise Conflict(
            f"The username {username!r} is taken.",
            errors=[FieldError(field="username", message="already in use")],
        )
    initial = passwords.generate_password()
    user = User(
        id="usr_" + secrets.token_hex(8),
        username=username,
        display_name=data.display_name,
        role=data.role.value,
        district_id=data.district_id,
        unit=data.unit,
        password_hash=await asyncio.to_thread(passwords.hash_password, initial),
        password_change_required=True,
        created_by=principal.key_id,
    )
    await repository.add(session, user)
    issued = issued_view(user, initial)
    return issued, Outcome(events=[Event("user_created", user)])


async def find_user(session: AsyncSession, user_id: str) -> User | None:
    return await repository.user(session, user_id)


async def all_users(session: AsyncSession) -> list[User]:
    return list(await repository.users(session))


async def live_sessions(session: AsyncSession, user_id: str) -> list[UserSession]:
    """The person's sessions that have not ended or expired."""
    return list(await repository.live_sessions(session, user_id, utcnow()))


async def get_user(session: AsyncSession, user_id: str) -> User:
    user = await repository.user(session, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id!r}.")
    return user


async def update_user(
    session: AsyncSession, principal: Principal, user_id: str, data: UserUpdate
) -> tuple[UserPublic | UserIssued, Outcome]:
    """An administrator's change; disabling, a new role or a reset ends the person's sessions."""
    user = await get_user(session, user_id)
    outcome = Outcome()
    now = utcnow()
    if data.role is not None or data.district_id is not None or data.unit is not None:
        role = data.role or IssuableRole(user.role)
        if role.value != user.role:  # a new role brings its own binding, or none
            district_id, unit = data.district_id, data.unit
        else:
            district_id = data.district_id if data.district_id is not None else user.district_id
            unit = data.unit if data.unit is not None else user.unit
        try:
            check_binding(role, district_id, unit)
        except ValueError as exc:
            raise ValidationFailed(
                "The role and its binding do not fit.",
                errors=[FieldError(field="role", message=str(exc))],
            ) from None
        user.role, user.district_id, user.unit = role.value, district_id, unit
        outcome.ended += await repository.end_sessions(session, user.id, now, "role_changed")
    if data.display_name is not None:
        user.display_name = data.display_name
    if data.status is not None and data.status.value != user.status:
        if user.id == principal.key_id and data.status is UserStatus.disabled:
            raise Forbidden("An administrator cannot disable their own account.")
        user.status = data.status.value
        if data.status is UserStatus.disabled:
            outcome.ended += await repository.end_sessions(session, user.id, now, "disabled")
            outcome.ended += await keys.revoke_feed_tokens_of(session, user.id, now)
    if data.unlock:
        user.locked_until, user.failed_logins = None, 0
    if data.reset_second_factor:
        user.totp_secret = user.totp_pending_secret = None
        user.totp_last_step = None
        await repository.replace_recovery_codes(session, user.id, [])
        outcome.ended += await repository.end_sessions(session, user.id, now, "second_factor_reset")
    initial = None
    if data.reset:
        initial = passwords.generate_password()
        await _set_password(session, user, initial, now, required=True)
        user.locked_until, user.failed_logins = None, 0
        outcome.ended += await repository.end_sessions(session, user.id, now, "password_reset")
        outcome.events.append(Event("password_reset", user))
    outcome.events.append(Event("user_changed", user))
    await session.flush()
    if initial is not None:
        return issued_view(user, initial), outcome
    return public(user, now), outcome


async def _set_password(
    session: AsyncSession, user: User, password: str, now: datetime, *, required: bool
) -> None:
    await repository.add(
        session, PasswordHistory(user_id=user.id, password_hash=user.password_hash, changed_at=now)
    )
    user.password_hash = await asyncio.to_thread(passwords.hash_password, password)
    user.password_changed_at = now
    user.password_change_required = required


# --- signing in -------------------------------------------------------------------------------


# --- passwords and second factor ----------------------------------------------------------------


async def change_password(
    session: AsyncSession, principal: Principal, current_session: str, data: PasswordChange
) -> Outcome:
    """A person's own change: the current password proves it; the new one meets the policy and
    is none of the last five. The person's other sessions end."""
    user = await get_user(session, principal.key_id)
    if not await asyncio.to_thread(
        passwords.verify_password, user.password_hash, data.current_password
    ):
        raise ValidationFailed(
            "The current password is wrong.",
            errors=[FieldError(field="current_password", message="does not match")],
        )
    problems = passwords.policy_problems(data.new_password, user.username)
    earlier = [user.password_hash] + await repository.earlier_hashes(
        session, user.id, passwords.HISTORY - 1
    )
    if not problems and await asyncio.to_thread(passwords.reused, data.new_password, earlier):
        problems.append(f"must not be one of the last {passwords.HISTORY} passwords")
    if problems:
        raise ValidationFailed(
            "The new password does not meet the password policy.",
            errors=[FieldError(field="new_password", message=p) for p in problems],
        )
    now = utcnow()
    await _set_password(session, user, data.new_password, now, required=False)
    ended = await repository.end_sessions(
        session, user.id, now, "password_changed", keep=current_session
    )
    return Outcome(events=[Event("password_changed", user)], ended=ended)


async def start_enrolment(session: AsyncSession, principal: Principal) -> tuple[str, str]:
    """A new TOTP secret waiting for its first code; returns it and its provisioning URI."""
    user = await get_user(session, principal.key_id)
    secret = totp.new_secret()
    user.totp_pending_secret = secret
    await session.flush()
    return secret, totp.provisioning_uri(secret, user.username)


async def confirm_enrolment(
    session: AsyncSession, principal: Principal, code: str
) -> tuple[list[str], Outcome]:
    """The first code proves the authenticator; the second factor is on, with ten recovery
    codes (shown once, kept hashed)."""
    user = await get_user(session, principal.key_id)
    secret = user.totp_pending_secret
    step = totp.matching_step(secret, code) if secret else None
    if secret is None or step is None:
        raise ValidationFailed(
            "The code does not match the authenticator being enrolled.",
            errors=[FieldError(field="code", message="wrong or expired code")],
        )
    user.totp_secret, user.totp_pending_secret, user.totp_last_step = secret, None, step
    codes = totp.new_recovery_codes()
    await repository.replace_recovery_codes(
        session, user.id, [totp.recovery_hash(c) for c in codes]
    )
    return codes, Outcome(events=[Event("second_factor_enrolled", user)])


async def ensure_bootstrap_admin(session: AsyncSession, username: str = "admin") -> str | None:
    """The first administrator account, made on the platform's first start; returns its
    one-time password (None when the account exists already)."""
    if await repository.user_by_name(session, username) is not None:
        return None
    initial = passwords.generate_password()
    await repository.add(
        session,
        User(
            id="usr_" + secrets.token_hex(8),
            username=username,
            display_name="系统管理员",
            role=Role.admin.value,
            password_hash=await asyncio.to_thread(passwords.hash_password, initial),
            password_change_required=True,
            created_by="bootstrap",
        ),
    )
    return initial
