"""One OpenAPI document for the whole API: the gateway's own routes plus every service's."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from typing import Any

import aiohttp
import orjson

logger = logging.getLogger("sbe.gateway.openapi")


def merge(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Merge service documents into the gateway's; clashing schema names get a service prefix."""
    merged = copy.deepcopy(own)
    merged.setdefault("paths", {})
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for name, document in services.items():
        renames = {
            schema: f"{name.capitalize()}{schema}"
            for schema, body in document.get("components", {}).get("schemas", {}).items()
            if schema in schemas and schemas[schema] != body
        }
        if renames:
            text = orjson.dumps(document).decode()
            for old, new in renames.items():
                text = text.replace(
                    f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"'
                )
            document = orjson.loads(text)
        for schema, body in document.get("components", {}).get("schemas", {}).items():
            schemas[renames.get(schema, schema)] = body
        for path, operations in document.get("paths", {}).items():
            if path.startswith("/api/v1/"):
                merged["paths"][path] = operations
    merged["paths"] = dict(sorted(merged["paths"].items()))
    return merged


class OpenApiAggregator:
    """Fetches the services' documents (cached for a minute) and merges them with the gateway's."""

    def __init__(
        self, session: aiohttp.ClientSession, service_urls: dict[str, str], ttl: float = 60.0
    ) -> None:
        self.session = session
        self.service_urls = service_urls
        self.ttl = ttl
        self._cached: tuple[float, dict[str, Any]] | None = None

    async def document(self, own: dict[str, Any]) -> dict[str, Any]:
        """The merged document; services that do not answer are left out until they do."""
        if self._cached and self._cached[0] > time.monotonic():
            return self._cached[1]
        names = sorted(self.service_urls)
        fetched = await asyncio.gather(*(self._fetch(self.service_urls[n]) for n in names))
        documents = {name: doc for name, doc in zip(names, fetched, strict=True) if doc}
        merged = merge(own, documents)
        if len(documents) == len(names):
            self._cached = (time.monotonic() + self.ttl, merged)
        return merged

    async def _fetch(self, url: str) -> dict[str, Any] | None:
        try:
            async with self.session.get(f"{url}/openapi.json") as response:
                if response.status == 200:
                    result: dict[str, Any] = orjson.loads(await response.read())
                    return result
        except (aiohttp.ClientError, OSError, TimeoutError):
            logger.warning("no OpenAPI document from %s", url)
        return None
