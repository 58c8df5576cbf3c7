"""The platform's processes: how each is built, configured, migrated and where it listens."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class ProcessSpec:
    """One process of the suite."""

    name: str
    app_factory: str  # "module:function"
    settings_class: str  # "module:Class"
    port_env: str
    default_port: int
    migrations: str | None  # package whose migrations/ folder holds the history
    # Whether the server reads the client's address from X-Forwarded-For (from a trusted proxy
    # only): the gateway, which meets clients through an ingress and limits logins per address.
    # The services meet only the gateway and never look at the address.
    proxy_headers: bool = False

    def load(self, ref: str) -> Any:
        module, _, attr = ref.partition(":")
        return getattr(import_module(module), attr)

    def settings(self) -> Any:
        """Validated settings (a bad setting exits with a message)."""
        from shared import load_settings

        return load_settings(self.load(self.settings_class))

    def app(self, settings: Any) -> Any:
        """The ASGI app, built with `settings`."""
        return self.load(self.app_factory)(settings)


SERVICES = (
    ProcessSpec(
        "registry",
        "services.registry.app:create_app",
        "services.registry.settings:RegistrySettings",
        "SBE_REGISTRY_PORT",
        8001,
        "services.registry",
    ),
    ProcessSpec(
        "monitoring",
        "services.monitoring.app:create_app",
        "services.monitoring.settings:MonitoringSettings",
        "SBE_MONITORING_PORT",
        8002,
        "services.monitoring",
    ),
    ProcessSpec(
        "evaluation",
        "services.evaluation.app:create_app",
        "services.evaluation.settings:EvaluationSettings",
        "SBE_EVALUATION_PORT",
        8003,
        "services.evaluation",
    ),
    ProcessSpec(
        "events",
        "services.events.app:create_app",
        "services.events.settings:EventsSettings",
        "SBE_EVENTS_PORT",
        8004,
        "services.events",
    ),
)
GATEWAY = ProcessSpec(
    "gateway",
    "gateway.app:create_app",
    "gateway.settings:GatewaySettings",
    "SBE_GATEWAY_PORT",
    8000,
    "gateway",
    proxy_headers=True,
)
ALL = (*SERVICES, GATEWAY)
BY_NAME = {spec.name: spec for spec in ALL}
