"""HTTP routes for people: sign-in and out, the signed-in person, passwords, the second factor,
sessions, and the administrator's accounts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.accounts import service, sessions
from gateway.accounts.models import User
from gateway.accounts.policy import SESSION_COOKIE
from gateway.accounts.schemas import (
    Login,
    Me,
    PasswordChange,
    RecoveryCodes,
    SessionPublic,
    SignedIn,
    TotpConfirm,
    TotpEnrolment,
    UserCreate,
    UserIssued,
    UserPublic,
    UserUpdate,
)
from gateway.accounts.service import Event, Outcome
from gateway.accounts.sessions import SessionState
from gateway.audit.writer import AuditWriter
from gateway.authn import Authenticator
from gateway.deps import AuditDep, AuthenticatorDep, LoginLimiterDep
from gateway.ratelimit import retry_after_header
from gateway.settings import SettingsDep
from shared import (
    AdminDep,
    Forbidden,
    PrincipalDep,
    SessionDep,
    after_commit,
    problem_responses,
    utcnow,
)
from shared.edge import header, problem_response, request_id_var

router = APIRouter(prefix="/api/v1/auth", tags=["accounts"])

UserId = Annotated[str, Path(max_length=40, description="User id.")]
SessionId = Annotated[str, Path(max_length=40, description="Session id.")]


async def current_session(request: Request) -> SessionState:
    """The session of a signed-in person's request (API keys have none)."""
    state = request.scope.get("state", {}).get("session")
    if not isinstance(state, SessionState):
        raise Forbidden("This needs a signed-in person (a session), not an API key.")
    return state


SessionStateDep = Annotated[SessionState, Depends(current_session)]


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


@dataclass
class SecurityEvents:
    """Where a route's security events go: the audit trail, and every replica's caches for the
    sessions an operation ended. Both wait for the commit (a rolled-back change ended nothing)."""

    request: Request
    audit: AuditWriter
    authenticator: Authenticator

    def record(self, event: str, user: User | None, status: int, username: str = "") -> None:
        self.audit.record(
            at=utcnow(),
            principal=service.principal_of(user) if user is not None else None,
            method=self.request.method,
            path=self.request.url.path,
            query="",
            status=status,
            request_id=request_id_var.get(),
            client_ip=_client_ip(self.request),
            duration_ms=0.0,
            event=event,
            username=username,
        )

    def settle(self, session: AsyncSession, outcome: Outcome, status: int) -> None:
        """Once committed: record the operation's events and end what it ended."""

        async def settled() -> None:
            for event in outcome.events:
                self.record(event.name, event.user, status, event.username or "")
            for token_hash in outcome.ended:
                await self.authenticator.forget(token_hash)

        after_commit(session, settled)


async def _security_events(
    request: Request, audit: AuditDep, authenticator: AuthenticatorDep
) -> SecurityEvents:
    return SecurityEvents(request, audit, authenticator)


SecurityEventsDep = Annotated[SecurityEvents, Depends(_security_events)]


def _secure(request: Request) -> bool:
    forwarded = header(request.scope, b"x-forwarded-proto")
    return request.url.scheme == "https" or forwarded == b"https"


@router.post(
    "/login",
    response_model=SignedIn,
    responses=problem_responses(401, 429),
    summary="Sign in",
)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    body: Login,
    events: SecurityEventsDep,
    limiter: LoginLimiterDep,
) -> SignedIn | Response:
    """Username, password and (once enrolled) the second factor. A wrong username and a wrong
    password get the same answer in the same time; five failures in a row lock the account for
    15 minutes. Sets the session cookie (HttpOnly, SameSite=Strict; Secure over HTTPS)."""
    wait = await limiter.check(f"login:{_client_ip(request)}")
    if wait > 0:
        return problem_response(
            429,
            "Too many sign-in attempts from this address; wait and try again.",
            headers={"Retry-After": retry_after_header(wait)},
        )
    user_agent = (header(request.scope, b"user-agent") or b"").decode("latin-1")
    new, outcome, reason = await sessions.login(
        session, settings, body, client_ip=_client_ip(request), user_agent=user_agent
    )
    events.settle(session, outcome, 200 if new else 401)
    if new is None:
        # Answered, not raised: the failure count and any lock must be committed.
        extra = {"second_factor_required": True} if reason != service.WRONG_CREDENTIALS else None
        return problem_response(
            401, reason, headers={"WWW-Authenticate": 'Cookie realm="sbe"'}, extra=extra
        )
    now = utcnow()
    signed_in = SignedIn(
        user=service.public(new.user, now),
        csrf_token=new.csrf_token,
        password_change_required=service.password_change_required(new.user, settings, now),
        second_factor_enrolment_required=service.enrolment_required(new.user, settings),
        expires_at=new.row.expires_at,
    )
    response = Response(signed_in.model_dump_json(), media_type="application/json", status_code=200)
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        max_age=math.ceil((new.row.expires_at - now).total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@router.post("/logout", status_code=204, summary="Sign out")
async def logout(
    session: SessionDep, state: SessionStateDep, events: SecurityEventsDep
) -> Response:
    """Ends this session at once, on every gateway replica, and clears the cookie."""
    token_hash = await sessions.logout(session, state.session_id)
    user = await service.find_user(session, state.principal.key_id)
    events.settle(
        session,
        Outcome(events=[Event("logout", user)], ended=[token_hash] if token_hash else []),
        204,
    )
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/me", response_model=Me, summary="The signed-in person")
async def me(session: SessionDep, state: SessionStateDep) -> Me:
    """Who is signed in, and whether a password change or a second factor comes first."""
    user = await service.get_user(session, state.principal.key_id)
    return Me(
        user=service.public(user),
        password_change_required=state.password_change_required,
        second_factor_enrolment_required=state.enrolment_required,
        session_id=state.session_id,
    )


@router.post(
    "/password", status_code=204, responses=problem_responses(422), summary="Change my password"
)
async def change_password(
    session: SessionDep, state: SessionStateDep, body: PasswordChange, events: SecurityEventsDep
) -> Response:
    """At least 10 characters from three classes, not containing the username, none of the last
    five. The person's other sessions end."""
    outcome = await service.change_password(session, state.principal, state.session_id, body)
    outcome.ended.append(state.token_hash)  # this session's cached state is stale now
    events.settle(session, outcome, 204)
    return Response(status_code=204)


@router.post("/totp/enrol", response_model=TotpEnrolment, summary="Start enrolling a second factor")
async def enrol_second_factor(session: SessionDep, state: SessionStateDep) -> TotpEnrolment:
    """A new TOTP secret for an authenticator app (show the URI as a QR code); it takes effect
    once confirmed with a code."""
    secret, uri = await service.start_enrolment(session, state.principal)
    return TotpEnrolment(secret=secret, provisioning_uri=uri)


@router.post(
    "/totp/confirm",
    response_model=RecoveryCodes,
    responses=problem_responses(422),
    summary="Confirm the second factor",
)
async def confirm_second_factor(
    session: SessionDep, state: SessionStateDep, body: TotpConfirm, events: SecurityEventsDep
) -> RecoveryCodes:
    """The authenticator's first code turns the second factor on; ten recovery codes, shown
    once, each stand in for it once."""
    codes, outcome = await service.confirm_enrolment(session, state.principal, body.code)
    outcome.ended.append(state.token_hash)
    events.settle(session, outcome, 200)
    return RecoveryCodes(recovery_codes=codes)


@router.get("/sessions", response_model=list[SessionPublic], summary="My sessions")
async def my_sessions(session: SessionDep, state: SessionStateDep) -> list[SessionPublic]:
    rows = await service.live_sessions(session, state.principal.key_id)
    return [sessions.session_public(r, state.session_id) for r in rows]


@router.delete(
    "/sessions/{session_id}",
    status_code=204,
    responses=problem_responses(404),
    summary="End a session",
)
async def end_session(
    session: SessionDep,
    principal: PrincipalDep,
    session_id: SessionId,
    events: SecurityEventsDep,
) -> Response:
    """A person ends their own sessions; an administrator anyone's."""
    token_hash, outcome = await sessions.end_session(session, principal, session_id)
    outcome.ended.append(token_hash)
    events.settle(session, outcome, 204)
    return Response(status_code=204)


# --- administration ---------------------------------------------------------------------------


@router.post(
    "/users",
    status_code=201,
    response_model=UserIssued,
    responses=problem_responses(409),
    summary="Create a person's account",
)
async def create_user(
    session: SessionDep, principal: AdminDep, body: UserCreate, events: SecurityEventsDep
) -> UserIssued:
    """The initial password is in this answer only; it must be changed at first sign-in."""
    issued, outcome = await service.create_user(session, principal, body)
    events.settle(session, outcome, 201)
    return issued


@router.get("/users", response_model=list[UserPublic], summary="List accounts")
async def list_users(session: SessionDep, principal: AdminDep) -> list[UserPublic]:
    now = utcnow()
    return [service.public(u, now) for u in await service.all_users(session)]


@router.get(
    "/users/{user_id}",
    response_model=UserPublic,
    responses=problem_responses(404),
    summary="An account",
)
async def get_user(session: SessionDep, principal: AdminDep, user_id: UserId) -> UserPublic:
    return service.public(await service.get_user(session, user_id))


@router.patch(
    "/users/{user_id}",
    response_model=UserIssued | UserPublic,
    responses=problem_responses(404, 422),
    summary="Change an account",
)
async def update_user(
    session: SessionDep,
    principal: AdminDep,
    user_id: UserId,
    body: UserUpdate,
    events: SecurityEventsDep,
) -> UserIssued | UserPublic:
    """Disable (every session ends at once), change the role, reset the password (a new initial
    password, shown once) or the second factor, unlock."""
    result, outcome = await service.update_user(session, principal, user_id, body)
    events.settle(session, outcome, 200)
    return result


@router.get(
    "/users/{user_id}/sessions",
    response_model=list[SessionPublic],
    responses=problem_responses(404),
    summary="An account's sessions",
)
async def user_sessions(
    session: SessionDep, principal: AdminDep, user_id: UserId
) -> list[SessionPublic]:
    user = await service.get_user(session, user_id)
    return [sessions.session_public(r, None) for r in await service.live_sessions(session, user.id)]
