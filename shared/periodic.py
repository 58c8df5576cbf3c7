"""Work done in rounds beside a service for the span of its lifespan: a keeper that takes a
figure again, a worker that drains marks. A failing round is logged and the next one tried, so
a database that is away for a moment stops nothing for good."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

logger = logging.getLogger("sbe.periodic")


async def _rounds(name: str, work: Callable[[], Awaitable[object]], interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("%s: a round failed; trying again", name, exc_info=True)


@asynccontextmanager
async def every(
    interval_seconds: float, work: Callable[[], Awaitable[object]], *, name: str
) -> AsyncIterator[None]:
    """Run `work` every `interval_seconds` while the block runs; stopped when it ends."""
    task = asyncio.create_task(_rounds(name, work, interval_seconds), name=name)
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
