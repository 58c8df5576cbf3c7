"""SQL for accounts, password history, recovery codes and sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.accounts.models import PasswordHistory, RecoveryCode, User, UserSession


async def user_by_name(session: AsyncSession, username: str) -> User | None:
    """The account with this username (case-insensitive: usernames are ASCII)."""
    result = await session.exec(select(User).where(User.username == username.lower()))
    return result.one_or_none()


async def user(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def users(session: AsyncSession) -> list[User]:
    """Every account, by username."""
    return list(await session.exec(select(User).order_by(col(User.username))))


async def add(session: AsyncSession, row: User | UserSession | PasswordHistory) -> None:
    session.add(row)
    await session.flush()


async def earlier_hashes(session: AsyncSession, user_id: str, count: int) -> list[str]:
    """The hashes of a person's last `count` passwords, newest first."""
    result = await session.exec(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user_id)
        .order_by(col(PasswordHistory.changed_at).desc(), col(PasswordHistory.id).desc())
        .limit(count)
    )
    return list(result)


async def replace_recovery_codes(session: AsyncSession, user_id: str, hashes: list[str]) -> None:
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    session.add_all(RecoveryCode(user_id=user_id, code_hash=h) for h in hashes)
    await session.flush()


async def use_recovery_code(
    session: AsyncSession, user_id: str, code_hash: str, at: datetime
) -> bool:
    """Spend a recovery code; False when it is unknown or spent already."""
    result = await session.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == code_hash,
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=at)
    )
    return bool(result.rowcount)


async def session_by_hash(session: AsyncSession, token_hash: str) -> UserSession | None:
    result = await session.exec(select(UserSession).where(UserSession.token_hash == token_hash))
    return result.one_or_none()


async def user_session(session: AsyncSession, session_id: str) -> UserSession | None:
    return await session.get(UserSession, session_id)


async def live_sessions(session: AsyncSession, user_id: str, now: datetime) -> list[UserSession]:
    """A person's sessions that have not ended (newest first)."""
    result = await session.exec(
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            col(UserSession.ended_at).is_(None),
            UserSession.expires_at > now,
        )
        .order_by(col(UserSession.created_at).desc())
    )
    return list(result)


async def end_sessions(
    session: AsyncSession, user_id: str, at: datetime, reason: str, keep: str | None = None
) -> list[str]:
    """End a person's live sessions (but `keep`); returns their token hashes."""
    statement = update(UserSession).where(
        col(UserSession.user_id) == user_id, col(UserSession.ended_at).is_(None)
    )
    if keep is not None:
        statement = statement.where(col(UserSession.id) != keep)
    result = await session.exec(
        statement.values(ended_at=at, ended_reason=reason).returning(col(UserSession.token_hash))
    )
    return [row[0] for row in result]


async def touch(session: AsyncSession, session_id: str, at: datetime) -> None:
    """Note a session's latest use (the idle time-out counts from it)."""
    await session.exec(
        update(UserSession).where(col(UserSession.id) == session_id).values(last_seen_at=at)
    )
