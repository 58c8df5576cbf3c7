"""A house rule (ARCHITECTURE.md): every path operation and every dependency is `async def`.
FastAPI runs a plain `def` in a worker thread, and the hand-off to the thread and back cost the
registry's building read more than its query did."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute

from launcher.processes import GATEWAY, SERVICES


def _apps() -> Iterator[tuple[str, Any]]:
    """Every FastAPI app: the four services' and the gateway's own (its proxy is plain ASGI)."""
    for spec in (GATEWAY, *SERVICES):
        settings = spec.load(spec.settings_class)(internal_secret="x" * 32)
        app = spec.app(settings)
        yield spec.name, getattr(app, "admin", app)


def _routes(routes: Any) -> Iterator[APIRoute]:
    """Every path operation, through included routers (kept whole, not flattened)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from _routes(route.routes)


def _calls(dependant: Any) -> Iterator[Any]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def test_every_route_and_dependency_is_async() -> None:
    synchronous = set()
    examined = 0
    for name, app in _apps():
        for route in _routes(app.routes):
            examined += 1
            for call in _calls(route.dependant):
                # A function, or a callable instance (its __call__).
                target = call if inspect.isroutine(call) else type(call).__call__
                if not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)):
                    synchronous.add(f"{name} {route.path}: {getattr(call, '__qualname__', call)}")
    assert examined > 120, examined
    assert not synchronous, sorted(synchronous)
