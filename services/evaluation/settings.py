"""Evaluation settings (`SBE_*`)."""

from pydantic import Field

from shared import BaseServiceSettings


class EvaluationSettings(BaseServiceSettings):
    """Configuration of the evaluation service."""

    evaluation_port: int = Field(default=8003, ge=1, le=65535)
    consumer_group: str = Field(default="sbe-evaluation", min_length=1)
    consumer_session_timeout_ms: int = Field(default=10_000, ge=1000)
    consumer_heartbeat_ms: int = Field(default=3_000, ge=100)
    consumer_poll_ms: int = Field(default=500, ge=10, le=10_000)

    @property
    def port(self) -> int:
        return self.evaluation_port
