"""Evaluation settings (`SBE_*`)."""

from pydantic import Field

from shared import BaseServiceSettings


class EvaluationSettings(BaseServiceSettings):
    """Configuration of the evaluation service."""

    evaluation_port: int = Field(default=8003, ge=1, le=65535)

    @property
    def port(self) -> int:
        return self.evaluation_port
