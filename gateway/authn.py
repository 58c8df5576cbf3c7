"""API key authentication on the hot path: a short cache in front of the key table, emptied at
once on revocation (on every replica, through Redis pub/sub when SBE_REDIS_URL is set).

Keys nobody issued are remembered briefly too (a negative cache), so a client guessing or
replaying a bad key costs one database query, not one per request. Calendar feed tokens are
authenticated the same way, from their own table.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from starlette.types import Scope

from gateway.accounts.policy import session_cookie, session_refusal
from gateway.accounts.service import sha256
from gateway.accounts.sessions import SessionState, session_state
from gateway.keys import repository
from gateway.keys.service import hash_key
from gateway.metrics import AUTH_FAILURES, KEY_CACHE
from gateway.settings import GatewaySettings
from shared import Database, Principal, Role, utcnow
from shared.edge import header

logger = logging.getLogger("sbe.gateway.authn")

REVOCATION_CHANNEL = "sbe:keys:revoked"


@dataclass(frozen=True)
class Identified:
    """Who a request is from, and the console session it came with, if any."""

    principal: Principal
    session: SessionState | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: its status, the detail, the headers to send with it."""

    status: int
    detail: str
    headers: dict[str, str] = field(default_factory=dict)


_BEARER = {"WWW-Authenticate": 'Bearer realm="sbe"'}


class Authenticator:
    """Turns a request's credentials (an API key, a console session, a calendar feed token)
    into a principal, or a refusal."""

    def __init__(
        self,
        database: Database,
        *,
        admin_token: str | None,
        cache_seconds: float,
        unknown_cache_seconds: float = 10.0,
        redis: Any | None = None,
        max_unknown: int = 10_000,
        settings: GatewaySettings | None = None,
        session_cache_seconds: float = 5.0,
    ) -> None:
        self.database = database
        self.settings = settings or GatewaySettings()
        self.session_cache_seconds = session_cache_seconds
        self._sessions: dict[str, tuple[SessionState, float]] = {}
        self.admin_hash = hash_key(admin_token) if admin_token else None
        self.cache_seconds = cache_seconds
        self.unknown_cache_seconds = unknown_cache_seconds
        self.max_unknown = max_unknown
        self.redis = redis
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._unknown: dict[str, float] = {}

    async def identify(self, scope: Scope, feed_token: str | None) -> Identified | Refusal:
        """Who the request is from: an `Authorization: Bearer` key, else a feed token on the
        calendar feed, else the session cookie (held to the session's policy)."""
        authorization = header(scope, b"authorization")
        session_token = session_cookie(scope) if authorization is None else None
        if authorization is None and feed_token is not None:
            principal = await self.authenticate_feed(feed_token)
            if principal is None:
                return Refusal(401, "Unknown or revoked calendar subscription token.", _BEARER)
            return Identified(principal)
        if session_token is not None:
            session = await self.authenticate_session(session_token)
            refusal = session_refusal(scope, session)
            if refusal is not None:
                return Refusal(*refusal)
            assert session is not None
            return Identified(session.principal, session)
        principal, reason = await self.authenticate(authorization)
        return Identified(principal) if principal is not None else Refusal(401, reason, _BEARER)

    async def authenticate(self, authorization: bytes | None) -> tuple[Principal | None, str]:
        """The principal, or None and the reason it was refused."""
        if not authorization:
            AUTH_FAILURES.labels("missing").inc()
            return None, "Send an API key as `Authorization: Bearer <key>`."
        scheme, _, key = authorization.decode("latin-1").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            AUTH_FAILURES.labels("malformed").inc()
            return None, "The Authorization header must be `Bearer <key>`."
        key_hash = hash_key(key)
        if self.admin_hash is not None and hmac.compare_digest(key_hash, self.admin_hash):
            return Principal(key_id="bootstrap-admin", role=Role.admin, label="bootstrap admin"), ""
        principal = await self._lookup(key_hash, repository.by_hash)
        if principal is None:
            return None, "Unknown or revoked API key."
        return principal, ""

    async def authenticate_feed(self, token: str) -> Principal | None:
        """The principal a calendar feed token reads with, or None (unknown or revoked)."""
        if not token or len(token) > 200:
            AUTH_FAILURES.labels("malformed").inc()
            return None
        return await self._lookup("feed:" + hash_key(token), repository.feed_token_by_hash)

    async def authenticate_session(self, token: str) -> SessionState | None:
        """The live session a cookie names (cached briefly; ended at once on every replica)."""
        if not token or len(token) > 200:
            AUTH_FAILURES.labels("malformed").inc()
            return None
        token_hash = sha256(token)
        now = time.monotonic()
        cached = self._sessions.get(token_hash)
        if cached is not None and cached[1] > now:
            known, wall = cached[0], utcnow()
            idle = timedelta(minutes=self.settings.session_idle_minutes)
            if known.expires_at > wall and wall - known.last_seen_at <= idle:
                return known
        async with self.database.unit_of_work() as session:
            state = await session_state(session, self.settings, token_hash, utcnow())
        if state is None:
            self._sessions.pop(token_hash, None)
            AUTH_FAILURES.labels("session").inc()
            return None
        if len(self._sessions) >= self.max_unknown:
            self._sessions.clear()
        self._sessions[token_hash] = (state, now + self.session_cache_seconds)
        return state

    async def _lookup(self, cache_key: str, find: Any) -> Principal | None:
        now = time.monotonic()
        cached = self._cache.get(cache_key)
        if cached is not None and cached[1] > now:
            KEY_CACHE.labels("hit").inc()
            return cached[0]
        unknown_until = self._unknown.get(cache_key)
        if unknown_until is not None and unknown_until > now:
            KEY_CACHE.labels("unknown_hit").inc()
            AUTH_FAILURES.labels("unknown").inc()
            return None
        KEY_CACHE.labels("miss").inc()
        async with self.database.sessionmaker() as session:
            row = await find(session, cache_key.removeprefix("feed:"))
        if row is None or row.revoked_at is not None:
            AUTH_FAILURES.labels("unknown" if row is None else "revoked").inc()
            if self.unknown_cache_seconds > 0:
                if len(self._unknown) >= self.max_unknown:
                    self._unknown.clear()  # a flood of distinct keys must not grow memory
                self._unknown[cache_key] = now + self.unknown_cache_seconds
            return None
        principal = Principal(
            key_id=row.id,
            role=Role(row.role),
            district_id=row.district_id,
            label=row.label,
            unit=row.unit,
        )
        if self.cache_seconds > 0:
            self._cache[cache_key] = (principal, now + self.cache_seconds)
        return principal

    async def forget(self, key_hash: str) -> None:
        """Drop a revoked key (or feed token) here and tell the other replicas to drop it too."""
        self._drop(key_hash)
        if self.redis is not None:
            try:
                await self.redis.publish(REVOCATION_CHANNEL, key_hash)
            except Exception:
                logger.error(
                    "could not broadcast a revocation; other replicas keep it cached "
                    "for at most the key cache time",
                    exc_info=True,
                )

    def _drop(self, key_hash: str) -> None:
        self._cache.pop(key_hash, None)
        self._cache.pop("feed:" + key_hash, None)
        self._sessions.pop(key_hash, None)

    async def listen_for_revocations(self) -> None:
        """Forget keys other replicas revoke (runs as a task while Redis is configured)."""
        assert self.redis is not None
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(REVOCATION_CHANNEL)
                # A revocation missed while disconnected must not survive: start afresh.
                self._cache.clear()
                self._sessions.clear()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        data = message["data"]
                        self._drop(data.decode() if isinstance(data, bytes) else data)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("revocation channel lost; resubscribing", exc_info=True)
                self._cache.clear()
                self._sessions.clear()
                await asyncio.sleep(1.0)
