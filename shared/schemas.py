"""Base of request models: unknown fields are refused (422), as the contract asks."""

from pydantic import ConfigDict
from sqlmodel import SQLModel


class RequestModel(SQLModel):
    """A request body: every field known, nothing extra accepted."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]
