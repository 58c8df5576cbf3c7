"""Monitoring settings (`SBE_*`)."""

from pydantic import Field, SecretStr

from policy import DEFAULT_PARTITIONS
from shared.messaging import ConsumerSettings


class MonitoringSettings(ConsumerSettings):
    """Configuration of the monitoring service."""

    monitoring_port: int = Field(default=8002, ge=1, le=65535)
    registry_url: str = Field(default="http://127.0.0.1:8001", pattern=r"^https?://")
    feed_partitions: int = Field(
        default=DEFAULT_PARTITIONS["feed_partitions"],
        ge=1,
        le=256,
        description="Partitions of the feeds.",
    )
    consumer_group: str = Field(default="sbe-monitoring", min_length=1)
    consumer_max_records: int = Field(default=20_000, ge=1, le=50_000)
    warning_occupancy_drop_points: float = Field(
        default=10.0, gt=0, le=100, description="Month-on-month fall in occupancy, in points."
    )
    warning_tax_drop_share: float = Field(
        default=0.3, gt=0, le=1, description="Year-on-year fall in tax (same months), as a share."
    )
    warning_pace_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="A district warns when by month M its share of the year's targets is below "
        "this share of M/12 (落后于时序进度).",
    )
    evaluation_url: str = Field(default="http://127.0.0.1:8003", pattern=r"^https?://")
    pace_interval_seconds: float = Field(
        default=3600.0, gt=0, description="How often districts' pace is checked."
    )
    large_taxpayer_cny: int = Field(
        default=10_000_000,
        gt=0,
        description="Yearly tax in a building that makes a large taxpayer.",
    )
    # Daily digests of open warnings (kept in the platform; e-mailed when an SMTP server is set).
    digest_hour: int = Field(default=8, ge=0, le=23, description="Beijing hour of the digest.")
    smtp_host: str | None = Field(default=None, description="SMTP server; none: no e-mail.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    smtp_username: str | None = Field(default=None)
    smtp_password: SecretStr | None = Field(default=None)
    smtp_sender: str = Field(default="sbe@localhost", description="The From address.")
    digest_recipients: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Audience → addresses: "admin" (the 发改委) or a district id (JSON).',
    )
    missing_reports_interval_seconds: float = Field(
        default=3600.0, gt=0, description="How often to look for buildings that stopped reporting."
    )
    figures_interval_seconds: float = Field(default=1.0, gt=0)
    figures_settle_seconds: float = Field(
        default=5.0, ge=0, description="How long a changed month stays quiet before it is handled."
    )
    figures_max_lag_seconds: float = Field(
        default=60.0, ge=0, description="The longest a changed month waits while changes go on."
    )

    @property
    def port(self) -> int:
        return self.monitoring_port
