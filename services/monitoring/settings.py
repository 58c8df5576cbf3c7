"""Monitoring settings (`SBE_*`)."""

from pydantic import Field

from shared import BaseServiceSettings


class MonitoringSettings(BaseServiceSettings):
    """Configuration of the monitoring service."""

    monitoring_port: int = Field(default=8002, ge=1, le=65535)
    registry_url: str = Field(default="http://127.0.0.1:8001", pattern=r"^https?://")

    @property
    def port(self) -> int:
        return self.monitoring_port
