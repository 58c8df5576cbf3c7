"""Registry settings (`SBE_*`)."""

from typing import Annotated

from fastapi import Depends
from pydantic import Field

from shared import DEFAULT_PARTITIONS, BaseServiceSettings, app_settings


class RegistrySettings(BaseServiceSettings):
    """Configuration of the registry service."""

    registry_port: int = Field(default=8001, ge=1, le=65535)
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
