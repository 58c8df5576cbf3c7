"""Gateway settings (`SBE_*`)."""

from typing import Annotated

from fastapi import Depends
from pydantic import Field, SecretStr

from shared import BaseServiceSettings, app_settings


class GatewaySettings(BaseServiceSettings):
    """Configuration of the gateway, the platform's only public entry."""

    gateway_port: int = Field(default=8000, ge=1, le=65535)
    admin_token: SecretStr | None = Field(
        default=None, min_length=16, description="Bootstrap key with the admin role."
    )
    registry_url: str = Field(default="http://127.0.0.1:8001", pattern=r"^https?://")
    monitoring_url: str = Field(default="http://127.0.0.1:8002", pattern=r"^https?://")
    evaluation_url: str = Field(default="http://127.0.0.1:8003", pattern=r"^https?://")
    events_url: str = Field(default="http://127.0.0.1:8004", pattern=r"^https?://")
    redis_url: str | None = Field(
        default=None, pattern=r"^rediss?://", description="Shared rate limits and revocations."
    )
    rate_limit_per_second: float = Field(
        default=50.0, gt=0, description="Sustained requests/s per key."
    )
    rate_limit_burst: int = Field(default=100, ge=1, description="Requests a key may send at once.")
    client_rate_limit_per_second: float = Field(
        default=200.0,
        gt=0,
        description="Sustained requests/s per client address, applied before authentication.",
    )
    client_rate_limit_burst: int = Field(
        default=400, ge=1, description="Requests one client address may send at once."
    )
    unknown_key_cache_seconds: float = Field(
        default=10.0, ge=0, description="How long a key nobody issued is remembered as unknown."
    )
    upstream_connect_timeout: float = Field(default=2.0, gt=0)
    upstream_read_timeout: float = Field(default=30.0, gt=0)
    upstream_pool_size: int = Field(default=200, ge=1)
    key_cache_seconds: float = Field(
        default=30.0, ge=0, description="How long a verified key is cached."
    )
    audit_flush_seconds: float = Field(default=1.0, gt=0)
    session_idle_minutes: float = Field(
        default=30, gt=0, description="A session unused this long ends (idle time-out)."
    )
    session_absolute_hours: float = Field(
        default=12, gt=0, description="A session ends this long after sign-in, used or not."
    )
    password_expiry_days: int = Field(
        default=180, ge=1, description="A password older than this must be changed."
    )
    second_factor_for_all: bool = Field(
        default=False, description="Require TOTP of every person, not of administrators only."
    )
    login_attempts_per_minute: float = Field(
        default=10, gt=0, description="Sign-in attempts one client address may make a minute."
    )
    lockout_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins in a row that lock an account."
    )
    lockout_minutes: float = Field(default=15, gt=0, description="How long a lock lasts.")
    console_dir: str | None = Field(
        default=None, description="The built console (default: console/dist beside the code)."
    )

    @property
    def port(self) -> int:
        return self.gateway_port

    def service_urls(self) -> dict[str, str]:
        """Service name → base URL."""
        return {
            "registry": self.registry_url.rstrip("/"),
            "monitoring": self.monitoring_url.rstrip("/"),
            "evaluation": self.evaluation_url.rstrip("/"),
            "events": self.events_url.rstrip("/"),
        }


# API area (the first path segment after /api/v1/) → the service that serves it.
AREAS = {
    "districts": "registry",
    "map": "registry",
    "buildings": "registry",
    "renovations": "registry",
    "lists": "registry",
    "enterprise-movements": "registry",
    "featured-candidates": "registry",
    "industry-structure": "registry",
    "registry": "registry",
    "demo": "registry",
    "monitoring": "monitoring",
    "evaluation": "evaluation",
    "events": "events",
}


SettingsDep = Annotated[GatewaySettings, Depends(app_settings)]
