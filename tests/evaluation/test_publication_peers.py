"""Publishing freezes the blue book with the registry's and monitoring's figures: when either
cannot answer, nothing is published (503), and publishing again once they are back works."""

from __future__ import annotations

import httpx

from services.evaluation.bluebook.peers import Peers
from tests.conftest import Services
from tests.support import free_port


async def test_nothing_is_published_half_when_a_peer_is_down(
    services: Services, evaluation_api: httpx.AsyncClient
) -> None:
    state = services.apps["evaluation"].state
    working = state.peers
    nowhere = f"http://127.0.0.1:{free_port()}"
    state.peers = Peers(working.registry, httpx.AsyncClient(base_url=nowhere, timeout=2.0))
    try:
        refused = await evaluation_api.post("/api/v1/evaluation/publications", json={"year": 2023})
    finally:
        await state.peers.monitoring.aclose()
        state.peers = working
    assert refused.status_code == 503, refused.text
    assert "Publish again later" in refused.json()["detail"]
    assert (await evaluation_api.get("/api/v1/evaluation/publications")).json() == []
    published = await evaluation_api.post("/api/v1/evaluation/publications", json={"year": 2023})
    assert published.status_code == 201, published.text
