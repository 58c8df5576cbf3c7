"""Events settings (`SBE_*`)."""

from pydantic import Field

from shared import BaseServiceSettings


class EventsSettings(BaseServiceSettings):
    """Configuration of the events service."""

    events_port: int = Field(default=8004, ge=1, le=65535)

    @property
    def port(self) -> int:
        return self.events_port
