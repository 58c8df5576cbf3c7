"""Evaluation settings (`SBE_*`)."""

from pydantic import Field

from shared import BaseServiceSettings


class EvaluationSettings(BaseServiceSettings):
    """Configuration of the evaluation service."""

    evaluation_port: int = Field(default=8003, ge=1, le=65535)
    consumer_group: str = Field(default="sbe-evaluation", min_length=1)
    consumer_session_timeout_ms: int = Field(default=10_000, ge=1000)
    consumer_heartbeat_ms: int = Field(default=3_000, ge=100)
    registry_url: str = Field(default="http://127.0.0.1:8001", pattern=r"^https?://")
    monitoring_url: str = Field(default="http://127.0.0.1:8002", pattern=r"^https?://")
    # The blue book's PDF is printed by headless Chromium (Debian's package, with fonts-noto-cjk
    # for the Chinese text); without it the PDF answers 503 and HTML and XLSX still work.
    chromium_path: str = Field(default="/usr/bin/chromium", min_length=1)
    consumer_poll_ms: int = Field(default=500, ge=10, le=10_000)

    @property
    def port(self) -> int:
        return self.evaluation_port
