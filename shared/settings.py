"""Settings common to every process: one pydantic-settings class per service derives from these."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ALLOWED_DATABASE_SCHEMES = ("postgresql+asyncpg://", "sqlite+aiosqlite://")


class BaseServiceSettings(BaseSettings):
    """What every service reads from `SBE_*` environment variables."""

    model_config = SettingsConfigDict(
        env_prefix="SBE_", extra="ignore", frozen=True, env_ignore_empty=True
    )

    database_url: str | None = Field(
        default=None,
        description="postgresql+asyncpg://user@host:port/db; unset: one SQLite file per service.",
    )
    data_dir: Path = Field(default=Path(".sbe"), description="Where embedded data lives.")
    kafka_bootstrap: str | None = Field(default=None, description="host:port[,host:port…]")
    internal_secret: SecretStr = Field(
        description="Shared secret the gateway signs forwarded identities with.",
        min_length=16,
    )
    internal_secret_accepted: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="While the internal secret is rotated: another secret whose signatures "
        "are accepted but never made (the next one, then the retired one; "
        "docs/operations.md).",
    )
    log_level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    host: str = Field(default="127.0.0.1", description="Interface the HTTP server binds.")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, description="The largest evidence file (20 MiB)."
    )
    database_pool_size: int = Field(
        default=20,
        ge=1,
        le=500,
        description="PostgreSQL connections kept open per process (half as many again at peaks, "
        "and up to half as many for the hot one-row reads where a process has them, opened as "
        "they are needed). Size it to the requests a process serves at once: connections opened "
        "beyond it are closed again after each use, and opening one costs more than most "
        "queries.",
    )

    def accepted_secrets(self) -> tuple[str, ...]:
        """The secrets a forwarded identity may be signed with: the signing one first."""
        secrets = [self.internal_secret.get_secret_value()]
        if self.internal_secret_accepted is not None:
            secrets.append(self.internal_secret_accepted.get_secret_value())
        return tuple(secrets)

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(_ALLOWED_DATABASE_SCHEMES):
            raise ValueError(f"must start with one of {', '.join(_ALLOWED_DATABASE_SCHEMES)}")
        return value

    @field_validator("kafka_bootstrap")
    @classmethod
    def _host_port_list(cls, value: str | None) -> str | None:
        if value is None:
            return value
        for part in value.split(","):
            host, _, port = part.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"{part!r} is not host:port")
        return value

    @property
    def port(self) -> int:
        """The HTTP port of this process (each subclass names its own variable)."""
        raise NotImplementedError


class ConsumerSettings(BaseServiceSettings):
    """What a service that reads Kafka topics adds (the bundled broker joins a group in about
    half the session timeout, so tests shorten it)."""

    consumer_session_timeout_ms: int = Field(default=10_000, ge=1000)
    consumer_heartbeat_ms: int = Field(default=3_000, ge=100)
    consumer_poll_ms: int = Field(default=500, ge=10, le=10_000, description="Longest idle poll.")
    # How often the copies kept from other services are compared with their sources, and how
    # long a difference must stand, its source unchanged, before it counts as divergence.
    copies_check_seconds: float = Field(default=300.0, gt=0, le=86_400)
    copies_settle_seconds: float = Field(default=120.0, ge=0, le=86_400)


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def load_settings(cls: type[SettingsT]) -> SettingsT:
    """Read and validate settings; a bad setting stops the process with a readable message."""
    try:
        return cls()
    except ValidationError as exc:
        lines = [f"invalid configuration for {cls.__name__}:"]
        for error in exc.errors():
            name = "SBE_" + "_".join(str(part) for part in error["loc"]).upper()
            lines.append(f"  {name}: {error['msg']}")
        print("\n".join(lines), file=sys.stderr)
        raise SystemExit(2) from None


async def app_settings(request: Request) -> Any:
    """The settings the app was built with, as a dependency: each service names its own type,
    `SettingsDep = Annotated[RegistrySettings, Depends(app_settings)]`, so routes never reach
    into `request.app.state` for them."""
    return request.app.state.settings
