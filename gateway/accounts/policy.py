"""What a console session may do: its cookie, the CSRF token every change must carry, and the
few routes open to it while a password change or a second factor is pending. The gateway asks
`session_refusal` before a session's request goes anywhere."""

from __future__ import annotations

import hmac
from http.cookies import CookieError, SimpleCookie

from starlette.types import Scope

from gateway.accounts.service import sha256
from gateway.accounts.sessions import SessionState
from shared.edge import header

SESSION_COOKIE = "sbe_session"
CSRF_HEADER = "x-csrf-token"
# What a session may still do while a password change or a second factor is pending.
WHILE_RESTRICTED = frozenset(
    {
        ("GET", "/api/v1/auth/me"),
        ("POST", "/api/v1/auth/logout"),
        ("POST", "/api/v1/auth/password"),
        ("POST", "/api/v1/auth/totp/enrol"),
        ("POST", "/api/v1/auth/totp/confirm"),
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_cookie(scope: Scope) -> str | None:
    """The session cookie's value from the request, if sent."""
    raw = header(scope, b"cookie")
    if not raw:
        return None
    jar = SimpleCookie()
    try:
        jar.load(raw.decode("latin-1"))
    except CookieError:
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel is not None else None


def session_refusal(scope: Scope, session: SessionState | None) -> tuple[int, str] | None:
    """Why a session's request is refused (status, detail), or None when it may go on."""
    if session is None:
        return 401, "The session has ended or is unknown; sign in again."
    if scope["method"] not in SAFE_METHODS:
        # A cookie is sent by the browser on its own; the CSRF token only by our pages.
        sent = header(scope, CSRF_HEADER.encode())
        if not sent or not hmac.compare_digest(sha256(sent.decode("latin-1")), session.csrf_hash):
            return 403, "A change made with a session must carry its X-CSRF-Token header."
    if session.restricted and (scope["method"], scope["path"]) not in WHILE_RESTRICTED:
        if session.password_change_required:
            return 403, "Change your password first (POST /api/v1/auth/password)."
        return 403, "Enrol a second factor first (POST /api/v1/auth/totp/enrol)."
    return None
