"""Evaluation settings (`SBE_*`)."""

from pydantic import Field

from shared.messaging import ConsumerSettings


class EvaluationSettings(ConsumerSettings):
    """Configuration of the evaluation service."""

    evaluation_port: int = Field(default=8003, ge=1, le=65535)
    consumer_group: str = Field(default="sbe-evaluation", min_length=1)
    registry_url: str = Field(default="http://127.0.0.1:8001", pattern=r"^https?://")
    monitoring_url: str = Field(default="http://127.0.0.1:8002", pattern=r"^https?://")
    events_url: str = Field(default="http://127.0.0.1:8004", pattern=r"^https?://")
    # The blue book's PDF is printed by headless Chromium (Debian's package, with fonts-noto-cjk
    # for the Chinese text); without it the PDF answers 503 and HTML and XLSX still work.
    chromium_path: str = Field(default="/usr/bin/chromium", min_length=1)
    # How often the district figures of the years scored so far are taken again once the
    # copies have been quiet that long (scoring/keeper.py).
    district_figures_interval_seconds: float = Field(default=5.0, gt=0, le=3600)

    @property
    def port(self) -> int:
        return self.evaluation_port
