"""Registry settings (`SBE_*`)."""

from typing import Annotated

from fastapi import Depends
from pydantic import Field

from policy import DEFAULT_PARTITIONS
from shared import app_settings
from shared.messaging import ConsumerSettings


class RegistrySettings(ConsumerSettings):
    """Configuration of the registry service."""

    registry_port: int = Field(default=8001, ge=1, le=65535)
    # It reads monitoring's building-years (the figures of its buildings list) and compares its
    # copy of them with monitoring's tallies.
    consumer_group: str = Field(default="sbe-registry", min_length=1)
    monitoring_url: str = Field(default="http://127.0.0.1:8002", pattern=r"^https?://")
    topic_partitions: int = Field(default=DEFAULT_PARTITIONS["topic_partitions"], ge=1, le=256)
    featured_candidate_threshold: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of tenants or leased area that makes a candidate.",
    )

    @property
    def port(self) -> int:
        return self.registry_port


SettingsDep = Annotated[RegistrySettings, Depends(app_settings)]
