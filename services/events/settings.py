"""Events settings (`SBE_*`)."""

from pydantic import Field

from policy import DEFAULT_PARTITIONS
from shared import BaseServiceSettings


class EventsSettings(BaseServiceSettings):
    """Configuration of the events service."""

    events_port: int = Field(default=8004, ge=1, le=65535)
    evaluation_url: str = Field(
        default="http://127.0.0.1:8003", pattern=r"^https?://", description="Where targets live."
    )
    topic_partitions: int = Field(default=DEFAULT_PARTITIONS["topic_partitions"], ge=1, le=256)

    @property
    def port(self) -> int:
        return self.events_port
