"""Sessions: signing in (password, then the second factor when enrolled), the live session a
cookie names (idle and absolute ends), signing out and ending a session."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.accounts import passwords, repository, totp
from gateway.accounts.models import User, UserSession
from gateway.accounts.schemas import Login, SessionPublic, UserStatus
from gateway.accounts.service import (
    WRONG_CREDENTIALS,
    Event,
    Outcome,
    enrolment_required,
    password_change_required,
    principal_of,
    sha256,
)
from gateway.settings import GatewaySettings
from shared import NotFound, Principal, Role, utcnow


@dataclass
class NewSession:
    """A session just made: its secrets are in this object and in the response only."""

    user: User
    row: UserSession
    token: str
    csrf_token: str


async def login(
    session: AsyncSession,
    settings: GatewaySettings,
    data: Login,
    *,
    client_ip: str,
    user_agent: str,
) -> tuple[NewSession | None, Outcome, str]:
    """Check the credentials; a session, or None and why (the same words for an unknown user,
    a wrong password, a disabled or a locked account)."""
    now = utcnow()
    outcome = Outcome()
    user = await repository.user_by_name(session, data.username)
    # One argon2 verification whatever happens, so the answer takes as long either way.
    matches = await asyncio.to_thread(
        passwords.verify_password, user.password_hash if user else None, data.password
    )
    if user is None:
        outcome.events.append(Event("login_failed", username=data.username[:64]))
        return None, outcome, WRONG_CREDENTIALS
    if user.status != UserStatus.active.value or (
        user.locked_until is not None and user.locked_until > now
    ):
        outcome.events.append(Event("login_failed", user))
        return None, outcome, WRONG_CREDENTIALS
    second_factor_ok = True
    if matches and user.totp_secret is not None:
        if not data.totp:
            return None, outcome, "A second factor is required."
        second_factor_ok = await _second_factor(session, user, data.totp, now)
    if not matches or not second_factor_ok:
        user.failed_logins += 1
        outcome.events.append(Event("login_failed", user))
        if user.failed_logins >= settings.lockout_failures:
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            user.failed_logins = 0
            outcome.events.append(Event("account_locked", user))
        return None, outcome, WRONG_CREDENTIALS
    user.failed_logins = 0
    user.last_login_at = now
    token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = UserSession(
        id="ses_" + secrets.token_hex(8),
        token_hash=sha256(token),
        csrf_hash=sha256(csrf_token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
        client_ip=client_ip[:64],
        user_agent=user_agent[:200],
    )
    await repository.add(session, row)
    outcome.events.append(Event("login", user))
    return NewSession(user, row, token, csrf_token), outcome, ""


async def _second_factor(session: AsyncSession, user: User, code: str, now: datetime) -> bool:
    """A TOTP code not used before, or an unspent recovery code."""
    assert user.totp_secret is not None
    step = totp.matching_step(user.totp_secret, code.strip())
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # a code is good once
        user.totp_last_step = step
        return True
    return await repository.use_recovery_code(session, user.id, totp.recovery_hash(code), now)


@dataclass(frozen=True)
class SessionState:
    """A live session as the gateway authenticates it."""

    session_id: str
    token_hash: str
    csrf_hash: str
    principal: Principal
    password_change_required: bool
    enrolment_required: bool
    last_seen_at: datetime
    expires_at: datetime

    @property
    def restricted(self) -> bool:
        return self.password_change_required or self.enrolment_required


async def session_state(
    session: AsyncSession, settings: GatewaySettings, token_hash: str, now: datetime
) -> SessionState | None:
    """The live session a cookie names, or None (unknown, ended, idle or past its end)."""
    row = await repository.session_by_hash(session, token_hash)
    if row is None or row.ended_at is not None:
        return None
    idle = row.last_seen_at + timedelta(minutes=settings.session_idle_minutes) < now
    if idle or row.expires_at <= now:
        row.ended_at, row.ended_reason = now, "idle" if idle else "expired"
        await session.flush()
        return None
    user = await repository.user(session, row.user_id)
    if user is None or user.status != UserStatus.active.value:
        return None
    if now - row.last_seen_at > timedelta(minutes=1):  # the idle clock, written sparingly
        await repository.touch(session, row.id, now)
    return SessionState(
        session_id=row.id,
        token_hash=row.token_hash,
        csrf_hash=row.csrf_hash,
        principal=principal_of(user),
        password_change_required=password_change_required(user, settings, now),
        enrolment_required=enrolment_required(user, settings),
        last_seen_at=now,
        expires_at=row.expires_at,
    )


async def logout(session: AsyncSession, session_id: str) -> str | None:
    """End one session; returns its token hash."""
    row = await repository.user_session(session, session_id)
    if row is None:
        return None
    if row.ended_at is None:
        row.ended_at, row.ended_reason = utcnow(), "logout"
        await session.flush()
    return row.token_hash


def session_public(row: UserSession, current: str | None) -> SessionPublic:
    return SessionPublic(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        client_ip=row.client_ip,
        user_agent=row.user_agent,
        current=row.id == current,
    )


async def end_session(
    session: AsyncSession, principal: Principal, session_id: str
) -> tuple[str, Outcome]:
    """A person ends one of their own sessions; an administrator anyone's."""
    row = await repository.user_session(session, session_id)
    if row is None or (principal.role is not Role.admin and row.user_id != principal.key_id):
        raise NotFound(f"No session with id {session_id!r}.")
    token_hash = await logout(session, session_id)
    assert token_hash is not None
    user = await repository.user(session, row.user_id)
    return token_hash, Outcome(events=[Event("session_ended", user)])
