"""Per-key rate limits: 429 with Retry-After; shared across replicas through Redis."""

from __future__ import annotations

import asyncio
import os
import socket

import httpx
import pytest

from tests.gateway.conftest import ADMIN_TOKEN, Stack, bearer, issue

# Each test process (pytest-xdist's gw0, gw1, …) its own Redis database: the limits' buckets are
# named after key ids and client addresses, which the processes' databases and loopback share.
_PROCESS = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_URL = f"redis://127.0.0.1:6379/{_PROCESS % 16}"


def redis_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


needs_redis = pytest.mark.skipif(not redis_up(), reason="Redis is not running on 127.0.0.1:6379")


class TestInProcessLimit:
    async def test_a_burst_beyond_the_limit_gets_429_with_retry_after(
        self, platform: Stack
    ) -> None:
        async with (
            platform.another_gateway(rate_limit_per_second=1, rate_limit_burst=3) as gateway,
            httpx.AsyncClient(base_url=gateway, headers=bearer(ADMIN_TOKEN)) as client,
        ):
            statuses = [(await client.get("/api/v1/districts")).status_code for _ in range(5)]
            limited = await client.get("/api/v1/districts")
        assert statuses[:3] == [200, 200, 200]
        assert statuses[3:] == [429, 429]
        assert limited.headers["content-type"] == "application/problem+json"
        assert int(limited.headers["retry-after"]) >= 1

    async def test_keys_have_their_own_buckets(
        self, platform: Stack, admin: httpx.AsyncClient
    ) -> None:
        other = await issue(admin, "supervision")
        async with (
            platform.another_gateway(rate_limit_per_second=1, rate_limit_burst=1) as gateway,
            httpx.AsyncClient(base_url=gateway) as client,
        ):
            assert (
                await client.get("/api/v1/districts", headers=bearer(ADMIN_TOKEN))
            ).status_code == 200
            assert (
                await client.get("/api/v1/districts", headers=bearer(ADMIN_TOKEN))
            ).status_code == 429
            assert (await client.get("/api/v1/districts", headers=bearer(other))).status_code == 200

    async def test_tokens_come_back_with_time(self, platform: Stack) -> None:
        async with (
            # One token a second: slow enough that a busy machine's first request does not earn
            # the second its token (at 20 a second, a 50 ms request did).
            platform.another_gateway(rate_limit_per_second=1, rate_limit_burst=1) as gateway,
            httpx.AsyncClient(base_url=gateway, headers=bearer(ADMIN_TOKEN)) as client,
        ):
            assert (await client.get("/api/v1/districts")).status_code == 200
            assert (await client.get("/api/v1/districts")).status_code == 429
            await asyncio.sleep(1.1)
            assert (await client.get("/api/v1/districts")).status_code == 200


@needs_redis
class TestSharedLimit:
    async def test_two_replicas_share_one_bucket(
        self, platform: Stack, admin: httpx.AsyncClient
    ) -> None:
        key = await issue(admin, "supervision")
        settings = {"redis_url": REDIS_URL, "rate_limit_per_second": 0.5, "rate_limit_burst": 2}
        async with (
            platform.another_gateway(**settings) as first,
            platform.another_gateway(**settings) as second,
            httpx.AsyncClient(headers=bearer(key)) as client,
        ):
            assert (await client.get(f"{first}/api/v1/districts")).status_code == 200
            assert (await client.get(f"{second}/api/v1/districts")).status_code == 200
            assert (await client.get(f"{first}/api/v1/districts")).status_code == 429
            assert (await client.get(f"{second}/api/v1/districts")).status_code == 429

    async def test_revocation_reaches_every_replica_at_once(
        self, platform: Stack, admin: httpx.AsyncClient
    ) -> None:
        issued = (
            await admin.post(
                "/api/v1/auth/keys", json={"role": "district", "district_id": "gusu", "label": "x"}
            )
        ).json()
        settings = {"redis_url": REDIS_URL, "key_cache_seconds": 300}
        async with (
            platform.another_gateway(**settings) as first,
            platform.another_gateway(**settings) as second,
            httpx.AsyncClient(headers=bearer(issued["key"])) as client,
        ):
            for gateway in (first, second):  # both replicas now hold the key in their cache
                assert (await client.get(f"{gateway}/api/v1/districts")).status_code == 200
            async with httpx.AsyncClient(
                base_url=first, headers=bearer(ADMIN_TOKEN)
            ) as first_admin:
                assert (
                    await first_admin.delete(f"/api/v1/auth/keys/{issued['id']}")
                ).status_code == 204
            await asyncio.sleep(0.2)  # pub/sub delivery
            assert (await client.get(f"{second}/api/v1/districts")).status_code == 401
