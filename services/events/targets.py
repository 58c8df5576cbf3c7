"""A typed client of the evaluation service, which owns the districts' yearly targets."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import Depends, Request

from shared import ServiceUnavailable


class TargetsClient:
    """Reads promotion-event targets through the evaluation API (never its tables)."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def promotion_events(self, year: int) -> dict[str, int] | None:
        """district id → the year's promotion-event target, or None when the year has none."""
        try:
            response = await self.http.get(f"/api/v1/evaluation/targets/{year}")
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"The evaluation service cannot be reached: {exc}.") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise ServiceUnavailable(f"The evaluation service answered {response.status_code}.")
        return {t["district_id"]: int(t["promotion_events"]) for t in response.json()["targets"]}


async def _targets(request: Request) -> TargetsClient:
    targets: TargetsClient = request.app.state.targets
    return targets


TargetsDep = Annotated[TargetsClient, Depends(_targets)]
