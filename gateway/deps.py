"""What the gateway's routes take from the app, as dependencies (never `request.app.state` in a
route): the authenticator whose caches forget ended keys and sessions, the audit writer, and the
sign-in limiter."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.audit.writer import AuditWriter
from gateway.authn import Authenticator
from gateway.ratelimit import RateLimiter


async def _authenticator(request: Request) -> Authenticator:
    authenticator: Authenticator = request.app.state.authenticator
    return authenticator


async def _audit(request: Request) -> AuditWriter:
    audit: AuditWriter = request.app.state.audit
    return audit


async def _login_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.login_limiter
    return limiter


AuthenticatorDep = Annotated[Authenticator, Depends(_authenticator)]
AuditDep = Annotated[AuditWriter, Depends(_audit)]
LoginLimiterDep = Annotated[RateLimiter, Depends(_login_limiter)]
