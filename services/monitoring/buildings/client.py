"""A typed client of the registry, asked before a building is called unknown."""

from __future__ import annotations

from typing import Any

import httpx

from shared import batched
from shared.messaging import TransientError


class RegistryUnavailable(TransientError):
    """The registry could not answer; the batch waiting on it is retried later."""


class RegistryClient:
    """Reads buildings from the registry through its HTTP API (never its tables)."""

    def __init__(self, http: httpx.AsyncClient, *, chunk: int = 200) -> None:
        self.http = http
        self.chunk = chunk

    async def buildings(self, ids: list[str]) -> list[dict[str, Any]]:
        """The buildings among `ids` that the registry knows."""
        found: list[dict[str, Any]] = []
        for part in batched(ids, self.chunk):
            try:
                response = await self.http.get(
                    "/api/v1/buildings", params={"id": list(part), "limit": len(part)}
                )
            except httpx.HTTPError as exc:
                raise RegistryUnavailable(str(exc)) from exc
            if response.status_code != 200:
                raise RegistryUnavailable(f"registry answered {response.status_code}")
            found.extend(response.json()["items"])
        return found
