"""The web console, served by the gateway at `/` from its built files (`console/dist`).

Hashed assets are cached for a year (their names change with their content); `index.html` is
never cached, so a new release reaches every browser at its next page load. Every page carries
a strict Content-Security-Policy: nothing loads from anywhere but the platform itself (government
intranets are offline, and an injected script has nowhere to send what it reads).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from shared.edge import problem_response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # Element Plus and ECharts set style attributes on elements they draw.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ASSET_CACHE = b"public, max-age=31536000, immutable"
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "console" / "dist"


class _ImmutableAssets:
    """Static files whose names carry a content hash: cached for a year."""

    def __init__(self, directory: Path) -> None:
        self.files = StaticFiles(directory=directory, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def cached(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message["headers"] = [
                    *message.get("headers", []),
                    (b"cache-control", ASSET_CACHE),
                    (b"x-content-type-options", b"nosniff"),
                ]
            await send(message)

        await self.files(scope, receive, cached)


def mount_console(app: FastAPI, directory: Path | None) -> None:
    """`/assets/…` and every other page path (the console routes in the browser) → index.html."""
    root = directory or DEFAULT_DIR
    app.mount("/assets", _ImmutableAssets(root / "assets"), name="console-assets")

    @app.get("/{page:path}", include_in_schema=False)
    async def console_page(page: str) -> Response:
        if page.startswith("api/"):
            return problem_response(404, f"No resource at '/{page}'.")
        index = root / "index.html"
        if not index.is_file():
            return problem_response(
                404, "The console is not built: `make run` builds it (console/dist)."
            )
        return FileResponse(index, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)
