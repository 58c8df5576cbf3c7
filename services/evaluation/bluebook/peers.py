"""The blue book's figures that other services keep, read through their HTTP APIs when a year is
published: the city summary and tiers (monitoring), the industry structure and the movement flows
(the registry). The evaluation never reads their tables."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from policy import districts
from shared import ServiceUnavailable


@dataclass
class PeerFigures:
    """What the two peers answered, as their JSON."""

    summary: dict[str, Any]
    tiers: dict[str, Any]
    industries: list[dict[str, Any]]
    district_industries: dict[str, list[dict[str, Any]]]
    flows: list[dict[str, Any]]
    district_flows: dict[str, list[dict[str, Any]]]


class Peers:
    """Signed clients of the registry and monitoring (role `service`: reads every district)."""

    def __init__(self, registry: httpx.AsyncClient, monitoring: httpx.AsyncClient) -> None:
        self.registry = registry
        self.monitoring = monitoring

    async def _get(self, client: httpx.AsyncClient, path: str, **params: Any) -> Any:
        try:
            response = await client.get(path, params=params)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                f"The blue book's figures could not be read ({path}): {exc}. Publish again later."
            ) from exc
        if response.status_code != 200:
            raise ServiceUnavailable(
                f"The blue book's figures could not be read ({path} answered "
                f"{response.status_code}). Publish again later."
            )
        return response.json()

    async def demo(self) -> bool:
        """Whether the platform holds the demonstration city (the registry keeps that)."""
        marker = await self._get(self.registry, "/api/v1/demo/marker")
        return bool(marker["demo"])

    async def figures(self, year: int) -> PeerFigures:
        """Every peer figure of the year, asked concurrently."""
        ids = [d.district_id for d in districts()]
        reg, mon = self.registry, self.monitoring
        summary, tiers, industries, flows, *per_district = await asyncio.gather(
            self._get(mon, "/api/v1/monitoring/city/summary", year=year),
            self._get(mon, "/api/v1/monitoring/city/tiers", year=year),
            self._get(reg, "/api/v1/industry-structure", level="section"),
            self._get(reg, "/api/v1/enterprise-movements/flows", year=year),
            *[
                self._get(reg, "/api/v1/industry-structure", level="section", district_id=d)
                for d in ids
            ],
            *[
                self._get(reg, "/api/v1/enterprise-movements/flows", year=year, district_id=d)
                for d in ids
            ],
        )
        return PeerFigures(
            summary=summary,
            tiers=tiers,
            industries=industries,
            district_industries=dict(zip(ids, per_district[: len(ids)], strict=True)),
            flows=flows,
            district_flows=dict(zip(ids, per_district[len(ids) :], strict=True)),
        )

    async def aclose(self) -> None:
        await self.registry.aclose()
        await self.monitoring.aclose()


async def _peers(request: Request) -> Peers:
    peers: Peers = request.app.state.peers
    return peers


PeersDep = Annotated[Peers, Depends(_peers)]
