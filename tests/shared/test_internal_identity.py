"""A service's own port trusts only the gateway's signed identity; while the internal secret is
rotated, identities signed with the other accepted secret (the next or the retired one) pass
too."""

from __future__ import annotations

import httpx
from starlette.types import Receive, Scope, Send

from services.registry.app import create_app
from services.registry.settings import RegistrySettings
from shared import Principal, Role
from shared.edge import InternalIdentityMiddleware, sign_principal

CURRENT, PREVIOUS, OTHER = "c" * 32, "p" * 32, "o" * 32
GUSU = Principal(key_id="k1", role=Role.district, district_id="gusu", label="姑苏区")


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    principal: Principal = scope["state"]["principal"]
    body = principal.key_id.encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def call(secrets: tuple[str, ...], signed_with: str) -> httpx.Response:
    app = InternalIdentityMiddleware(echo, secrets=secrets)
    header = sign_principal(GUSU, signed_with, "GET", "/api/v1/buildings")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
        return await client.get("/api/v1/buildings", headers={"x-sbe-principal": header})


class TestRotation:
    async def test_the_current_secret_is_accepted(self) -> None:
        response = await call((CURRENT,), CURRENT)
        assert response.status_code == 200 and response.text == "k1"

    async def test_the_other_accepted_secret_passes_while_configured(self) -> None:
        assert (await call((CURRENT, PREVIOUS), PREVIOUS)).status_code == 200

    async def test_a_secret_no_longer_accepted_is_refused(self) -> None:
        response = await call((CURRENT,), PREVIOUS)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"

    async def test_any_other_secret_is_refused(self) -> None:
        assert (await call((CURRENT, PREVIOUS), OTHER)).status_code == 401


class TestMalformedHeaders:
    async def test_a_non_ascii_or_malformed_principal_is_401_not_500(self) -> None:
        app = InternalIdentityMiddleware(echo, secrets=(CURRENT,))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            for value in ("v2.1.负载.签名".encode(), b"v2.\xff\xfe.x.y", b"...", b"v2"):
                response = await client.get(
                    "/api/v1/buildings", headers=[(b"x-sbe-principal", value)]
                )
                assert response.status_code == 401, value

    async def test_a_body_other_than_the_signed_one_is_refused(self) -> None:
        app = InternalIdentityMiddleware(echo, secrets=(CURRENT,))
        header = sign_principal(GUSU, CURRENT, "POST", "/api/v1/buildings", body=b"{}")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            signed = {"x-sbe-principal": header}
            ok = await client.post("/api/v1/buildings", content=b"{}", headers=signed)
            assert ok.status_code == 200
            swapped = await client.post("/api/v1/buildings", content=b'{"x":1}', headers=signed)
            assert swapped.status_code == 401


class TestSettings:
    async def test_a_service_built_with_an_accepted_secret_admits_its_signatures(self) -> None:
        settings = RegistrySettings(internal_secret=CURRENT, internal_secret_accepted=PREVIOUS)
        assert settings.accepted_secrets() == (CURRENT, PREVIOUS)
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            for secret, status in ((PREVIOUS, 404), (CURRENT, 404), (OTHER, 401)):
                header = sign_principal(GUSU, secret, "GET", "/api/v1/nowhere")
                response = await client.get("/api/v1/nowhere", headers={"x-sbe-principal": header})
                assert response.status_code == status, secret
