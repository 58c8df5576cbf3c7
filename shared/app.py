"""How every service's FastAPI app is assembled: probes, metrics, middleware, errors, OpenAPI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from starlette.responses import HTMLResponse, JSONResponse, Response

from shared.middleware import (
    BodyLimitMiddleware,
    InternalIdentityMiddleware,
    ObservabilityMiddleware,
)
from shared.problems import install_problem_handlers, problem_response, problem_responses
from shared.settings import BaseServiceSettings

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[FastAPI], Awaitable[dict[str, bool]]]
MetricsRefresh = Callable[[FastAPI], Awaitable[None]]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

READY = Gauge(
    "sbe_ready",
    "1 while a dependency of the process answers, 0 while it does not (checked by /readyz "
    "and on every scrape).",
    ["service", "dependency"],
)
# A readiness check that does not answer within this time counts as failed, so a scrape or a
# probe never hangs on a dependency that is away.
CHECK_TIMEOUT_SECONDS = 3.0

# Every API route can answer these; routes add their own (404, 409…).
COMMON_API_RESPONSES = problem_responses(400, 401, 403, 413, 422, 429)


async def database_ready(app: FastAPI) -> dict[str, bool]:
    """The readiness check every service has: its database answers."""
    return {"database": await app.state.database.ping()}


async def check_readiness(
    app: FastAPI, service: str, checks: Sequence[ReadinessCheck]
) -> dict[str, bool]:
    """Run every readiness check (each bounded in time) and publish the results as `sbe_ready`."""
    results: dict[str, bool] = {}
    for check in checks:
        try:
            results.update(await asyncio.wait_for(check(app), CHECK_TIMEOUT_SECONDS))
        except Exception:  # a check that fails or times out names itself by its function
            results[check.__name__.removesuffix("_ready").lstrip("_")] = False
    for dependency, ok in results.items():
        READY.labels(service, dependency).set(1 if ok else 0)
    return results


def probes_router(
    service: str, checks: Sequence[ReadinessCheck], refreshers: Sequence[MetricsRefresh] = ()
) -> APIRouter:
    """`/healthz`, `/readyz` and `/metrics`, on every process's own port.

    A scrape refreshes the readiness gauges and whatever else the service reads from its
    database (`refreshers`), so what Prometheus sees is current on every replica.
    """
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> Response:
        results = await check_readiness(request.app, service, checks)
        if all(results.values()):
            return JSONResponse({"status": "ready", "checks": results})
        failing = ", ".join(name for name, ok in results.items() if not ok)
        return problem_response(
            503, f"Not ready: {failing} unreachable.", extra={"checks": results}
        )

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
        await check_readiness(request.app, service, checks)
        for refresh in refreshers:
            try:
                await asyncio.wait_for(refresh(request.app), CHECK_TIMEOUT_SECONDS)
            except Exception:  # the readiness gauges already tell why; keep the last figures
                log.warning("metrics refresh %s failed", refresh.__name__, exc_info=True)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


DOCS_ASSETS = "/docs-assets"


def offline_docs(app: FastAPI, title: str, openapi_url: str = "/openapi.json") -> None:
    """`/docs`: Swagger UI from assets the process serves itself (the fastapi-offline package's
    copy), never from a CDN: government intranets have no internet."""
    assets = files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )


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
    metrics_refreshers: Sequence[MetricsRefresh] = (),
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
        docs_url=None,
        redoc_url=None,
        # Tracing and metrics are Prometheus' (shared.middleware); without an OpenTelemetry
        # provider FastAPI's own telemetry would still check for one on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    # A request is matched against the routes in the order they were added, router by router:
    # the API first (most requests), the probes and the documents last.
    for router in routers:
        app.include_router(router, responses=COMMON_API_RESPONSES)
    app.include_router(probes_router(name, readiness, metrics_refreshers))
    if own_docs:
        offline_docs(app, title)
    install_problem_handlers(app)
    app.openapi = _openapi_with_bearer(app)  # type: ignore[method-assign]
    # Added innermost first: identity, then the body limit, then observability outermost so
    # that refused requests are counted and carry a request id too.
    if trust_forwarded_identity:
        app.add_middleware(InternalIdentityMiddleware, secrets=settings.accepted_secrets())
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    if observe:
        app.add_middleware(ObservabilityMiddleware, service=name)
    return app
