"""httpx pieces for service-to-service calls: a service signs its own identity like the gateway."""

from __future__ import annotations

from collections.abc import Generator

import httpx

from shared.identity import PRINCIPAL_HEADER, Principal, Role, sign_principal

# A client of our services (the gateway's proxy, a service calling a peer) closes a connection it
# has left idle this long; the services keep an idle connection open longer. Otherwise a server
# could close a connection just as a client sends a request on it, and the client would see the
# connection drop under its request (the gateway answers 502 then).
CLIENT_IDLE_SECONDS = 60.0
SERVER_IDLE_SECONDS = 75


class ServiceIdentity(httpx.Auth):
    """Signs each request as the calling service (role `service`: reads only)."""

    requires_request_body = True  # the signature covers a digest of the body

    def __init__(self, service: str, secret: str) -> None:
        self.principal = Principal(key_id=f"service:{service}", role=Role.service, label=service)
        self.secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[PRINCIPAL_HEADER] = sign_principal(
            self.principal,
            self.secret,
            request.method,
            request.url.path,
            query=request.url.query.decode("latin-1"),
            body=request.content,
        )
        yield request


def service_client(
    base_url: str, *, service: str, secret: str, timeout: float = 5.0
) -> httpx.AsyncClient:
    """One pooled client per peer service, built in the lifespan and closed there."""
    return httpx.AsyncClient(
        base_url=base_url,
        auth=ServiceIdentity(service, secret),
        timeout=httpx.Timeout(timeout, connect=2.0),
        limits=httpx.Limits(
            max_connections=20, max_keepalive_connections=10, keepalive_expiry=CLIENT_IDLE_SECONDS
        ),
    )
