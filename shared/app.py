"""How every service's FastAPI app is assembled: probes, metrics, middleware, errors, OpenAPI."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import JSONResponse, Response

from shared.middleware import (
    BodyLimitMiddleware,
    InternalIdentityMiddleware,
    ObservabilityMiddleware,
)
from shared.problems import install_problem_handlers, problem_response, problem_responses
from shared.settings import BaseServiceSettings

ReadinessCheck = Callable[[FastAPI], Awaitable[dict[str, bool]]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

# Every API route can answer these; routes add their own (404, 409…).
COMMON_API_RESPONSES = problem_responses(400, 401, 403, 413, 422, 429)


async def database_ready(app: FastAPI) -> dict[str, bool]:
    """The readiness check every service has: its database answers."""
    return {"database": await app.state.database.ping()}


def probes_router(checks: Sequence[ReadinessCheck]) -> APIRouter:
    """`/healthz`, `/readyz` and `/metrics`, on every process's own port."""
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> Response:
        results: dict[str, bool] = {}
        for check in checks:
            results.update(await check(request.app))
        if all(results.values()):
            return JSONResponse({"status": "ready", "checks": results})
        failing = ", ".join(name for name, ok in results.items() if not ok)
        return problem_response(
            503, f"Not ready: {failing} unreachable.", extra={"checks": results}
        )

    @router.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def _openapi_with_bearer(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {})
            components.setdefault("securitySchemes", {})["bearerAuth"] = {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key issued by the platform administrator (发改委).",
            }
            schema["security"] = [{"bearerAuth": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    settings: BaseServiceSettings,
    lifespan: Lifespan,
    routers: Sequence[APIRouter],
    readiness: Sequence[ReadinessCheck] = (database_ready,),
    trust_forwarded_identity: bool = True,
    observe: bool = True,
    own_docs: bool = True,
) -> FastAPI:
    """A service app with the platform's probes, middleware, problem errors and OpenAPI.

    The gateway builds its own app with `trust_forwarded_identity=False` (it authenticates keys
    itself), `observe=False` (its dispatcher is observed as a whole) and `own_docs=False` (it
    serves the merged document of all services instead of its own).
    """
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_url="/openapi.json" if own_docs else None,
        docs_url="/docs" if own_docs else None,
        redoc_url="/redoc" if own_docs else None,
    )
    app.state.settings = settings
    app.include_router(probes_router(readiness))
    for router in routers:
        app.include_router(router, responses=COMMON_API_RESPONSES)
    install_problem_handlers(app)
    app.openapi = _openapi_with_bearer(app)  # type: ignore[method-assign]
    # Added innermost first: identity, then the body limit, then observability outermost so
    # that refused requests are counted and carry a request id too.
    if trust_forwarded_identity:
        app.add_middleware(
            InternalIdentityMiddleware, secret=settings.internal_secret.get_secret_value()
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if observe:
        app.add_middleware(ObservabilityMiddleware, service=name)
    return app
