"""The demonstration city's way into the platform: a gateway client that keeps the rate limits,
and the check that the platform took what was sent."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class Patient(httpx.AsyncBaseTransport):
    """A client that keeps the platform's rate limits: a request answered 429 is sent again
    after the `Retry-After` the gateway gives (keys and addresses are rate-limited)."""

    def __init__(self, attempts: int = 30) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.attempts = attempts

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(self.attempts):
            response = await self.inner.handle_async_request(request)
            if response.status_code != 429:
                return response
            await response.aclose()
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class RefusedError(RuntimeError):
    """The platform refused what the generator sent, other than on purpose."""


def must(response: httpx.Response, *statuses: int) -> Any:
    if response.status_code not in statuses:
        raise RefusedError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    return response.json() if response.content else None


def client(gateway: str, key: str) -> httpx.AsyncClient:
    """A client of the gateway with `key`, keeping its rate limits."""
    return httpx.AsyncClient(
        base_url=gateway,
        headers={"Authorization": f"Bearer {key}"},
        timeout=120,
        transport=Patient(),
    )
