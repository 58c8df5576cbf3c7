"""Who is calling: roles, principals, and the signed identity the gateway forwards to services.

The gateway authenticates the API key and forwards the principal in `X-SBE-Principal`,
HMAC-signed with a secret shared only by the platform's processes. A service trusts nothing
else: the signature binds the principal to the request's method, path, query string, a SHA-256
of its body and a timestamp, so a captured header cannot be replayed against another resource,
with other parameters or another body, or later than `MAX_SKEW_SECONDS`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import orjson
from fastapi import Depends, Request

from shared.problems import Forbidden, Unauthorized

PRINCIPAL_HEADER = "x-sbe-principal"
MAX_SKEW_SECONDS = 30


class Role(StrEnum):
    """The contract's three roles, the municipal bureaus, and the platform's own services."""

    admin = "admin"  # 发改委: everything
    supervision = "supervision"  # 督查室: reads everything, writes nothing
    district = "district"  # one district: its own data, plus city-wide reference data
    bureau = "bureau"  # a municipal bureau (市住建局…): city-wide reference data, its own tasks
    service = "service"  # another platform service: reads only; never issued as an API key


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: an API key, or a person signed in with a session.

    `key_id` is the key's id or the person's user id; `user` is the person's username (None for
    a key). Both ways in give the same principal, so role checks are the same for both.
    """

    key_id: str
    role: Role
    district_id: str | None = None
    label: str = ""
    unit: str | None = None  # a bureau's unit (责任单位), e.g. 市住建局
    user: str | None = None

    @property
    def name(self) -> str:
        """How the caller is named in the records it leaves (who reviewed, who changed…)."""
        return self.label or self.key_id

    @property
    def reads_everything(self) -> bool:
        """Admin, supervision and platform services read every district's data."""
        return self.role in (Role.admin, Role.supervision, Role.service)

    def can_read(self, district_id: str) -> bool:
        """May this caller read data that belongs to `district_id`?"""
        return self.reads_everything or self.district_id == district_id

    def can_write(self, district_id: str) -> bool:
        """May this caller change data that belongs to `district_id`?"""
        return self.role is Role.admin or (
            self.role is Role.district and self.district_id == district_id
        )

    def ensure_read(self, district_id: str) -> None:
        """Raise 403 unless this caller may read `district_id`'s data."""
        if not self.can_read(district_id):
            raise Forbidden(f"This key may not read data of district {district_id!r}.")

    def ensure_write(self, district_id: str) -> None:
        """Raise 403 unless this caller may change `district_id`'s data."""
        if not self.can_write(district_id):
            if self.role is Role.district:
                raise Forbidden(f"This key may not change data of district {district_id!r}.")
            raise Forbidden(f"The {self.role} role may not change data.")

    def visible_district(self, requested: str | None) -> str | None:
        """The district filter a list query runs with: a district key sees only its own; a
        bureau reads no district's data."""
        if self.reads_everything:
            return requested
        if self.district_id is None:
            raise Forbidden(f"The {self.role} role reads city-wide reference data only.")
        if requested is not None and requested != self.district_id:
            raise Forbidden(f"This key may not read data of district {requested!r}.")
        return self.district_id


def _signature(secret: bytes, message: bytes) -> str:
    digest = hmac.digest(secret, message, "sha256")  # one call into OpenSSL
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _message(ts: str, method: str, path: str, query: str, body: bytes, payload: str) -> bytes:
    # A JSON array keeps the fields apart whatever characters a path or query holds.
    body_digest = hashlib.sha256(body).hexdigest()
    return orjson.dumps(["v2", ts, method.upper(), path, query, body_digest, payload])


def sign_principal(
    principal: Principal,
    secret: str,
    method: str,
    path: str,
    *,
    query: str = "",
    body: bytes = b"",
    now: float | None = None,
) -> str:
    """The header value that proves `principal` made this request through the gateway."""
    # orjson writes a dataclass (and its enum) as asdict() would, without copying it first.
    payload = base64.urlsafe_b64encode(orjson.dumps(principal)).rstrip(b"=").decode()
    ts = str(int(now if now is not None else time.time()))
    message = _message(ts, method, path, query, body, payload)
    return f"v2.{ts}.{payload}.{_signature(secret.encode(), message)}"


def verify_principal(
    header: str,
    secret: str,
    method: str,
    path: str,
    *,
    query: str = "",
    body: bytes = b"",
    now: float | None = None,
) -> Principal | None:
    """The principal a signed header names, or None when it is forged, stale or malformed."""
    if not header.isascii():
        return None
    try:
        version, ts, payload, signature = header.split(".")
    except ValueError:
        return None
    if version != "v2" or not ts.isdigit() or len(ts) > 12:
        return None
    message = _message(ts, method, path, query, body, payload)
    if not hmac.compare_digest(signature, _signature(secret.encode(), message)):
        return None
    current = now if now is not None else time.time()
    if abs(current - int(ts)) > MAX_SKEW_SECONDS:
        return None
    return _decoded(payload)


# A caller's requests carry the same payload, signed afresh each time: decoded once (after its
# signature is checked, so only what the gateway signed is ever kept).
@functools.lru_cache(maxsize=4096)
def _decoded(payload: str) -> Principal | None:
    try:
        data = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return Principal(
            key_id=str(data["key_id"]),
            role=Role(data["role"]),
            district_id=data.get("district_id"),
            label=str(data.get("label", "")),
            unit=data.get("unit"),
            user=data.get("user"),
        )
    except (ValueError, KeyError, TypeError):
        return None


async def get_principal(request: Request) -> Principal:
    """The caller, as verified by the identity middleware."""
    principal = request.scope.get("state", {}).get("principal")
    if not isinstance(principal, Principal):
        raise Unauthorized("This service accepts API requests only through the gateway.")
    return principal


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only the given roles through (403 for the others)."""
    allowed = frozenset(roles)

    async def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"This operation needs one of the roles: {names}.")
        return principal

    return dependency


PrincipalDep = Annotated[Principal, Depends(get_principal)]
AdminDep = Annotated[Principal, Depends(require_roles(Role.admin))]
WriterDep = Annotated[Principal, Depends(require_roles(Role.admin, Role.district))]
OverseerDep = Annotated[Principal, Depends(require_roles(Role.admin, Role.supervision))]
