"""The platform's merged OpenAPI document built from the code alone, without starting anything
(what the console's API types are generated from; a test keeps the checked-in copy current).
The launcher composes the processes, so it is the one place that may build every app."""

from __future__ import annotations

from typing import Any

from gateway.openapi import merge
from launcher.processes import GATEWAY, SERVICES


def offline_document() -> dict[str, Any]:
    """The gateway's own document merged with every service's."""

    def app_of(spec: Any) -> Any:
        settings_class = spec.load(spec.settings_class)
        # Building an app does no I/O; the settings only need to validate.
        return spec.app(settings_class(internal_secret="x" * 32))

    own = app_of(GATEWAY).admin.openapi()
    return merge(own, {spec.name: app_of(spec).openapi() for spec in SERVICES})
