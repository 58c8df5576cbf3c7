"""The evaluation service's declarative base (its own metadata)."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class EvaluationTable(SQLModel, registry=registry()):
    """Base of every evaluation table; its metadata is what the evaluation migrations manage."""
