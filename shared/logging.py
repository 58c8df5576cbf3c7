"""JSON logs, one object a line, each carrying the request id of the request that caused it.

No log line carries a value a database was given: a database error's own words can quote one
(PostgreSQL's `invalid input syntax for type integer: "…"`, asyncpg's `invalid input for query
argument $1: '…'`), and values may be USCCs or an enterprise's tax (税收保密). Such errors are
logged by kind, SQLSTATE and statement; engines hide their parameters too (shared.database).
"""

from __future__ import annotations

import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import orjson

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# uvicorn adds `color_message`, an ANSI-coloured copy of the message: noise in JSON.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {
    "message",
    "asctime",
    "color_message",
}


_DATABASE_MODULES = ("sqlalchemy", "asyncpg", "sqlite3", "aiosqlite")

# The SQLSTATEs a refused value most often raises, in words.
_SQLSTATES = {
    "22001": "a text is longer than its column",
    "22003": "a number is out of its column's range",
    "22007": "an invalid date or time",
    "22008": "a date or time out of range",
    "22P02": "a value of the wrong type",
    "22021": "a byte sequence that is not valid text",
    "23502": "a required value is missing",
    "23503": "a reference to a row that does not exist",
    "23505": "a duplicate of a unique value",
    "23514": "a value a check constraint refuses",
}


def _is_database_error(error: BaseException) -> bool:
    return type(error).__module__.split(".")[0] in _DATABASE_MODULES


def sqlstate_of(error: BaseException) -> str | None:
    """The SQLSTATE of a database error (or of the driver error it wraps), if it has one."""
    for candidate in (error, getattr(error, "orig", None), error.__cause__):
        state = getattr(candidate, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def safe_error_text(error: BaseException) -> str:
    """An error's message, or for a database error its kind and SQLSTATE without its words."""
    if not _is_database_error(error):
        return str(error)
    state = sqlstate_of(error)
    text = "message withheld (it may quote a value)"
    if state:
        text = f"SQLSTATE {state}: {_SQLSTATES.get(state, 'see the PostgreSQL error codes')}"
    statement = getattr(error, "statement", None)
    if isinstance(statement, str):
        text += f" [SQL: {' '.join(statement.split())[:300]}]"
    return text


def format_exception_safely(error: BaseException) -> str:
    """A traceback like Python's, with every database error's message withheld."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        cause = current.__cause__
        current = cause or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for link in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        kind = type(link)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {safe_error_text(link)}\n")
    return "".join(parts)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object; `extra={...}` fields are kept as keys."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        """Tracebacks with database errors' messages withheld (they can quote values)."""
        error = ei[1]
        return format_exception_safely(error) if error is not None else ""


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route every logger (ours, uvicorn's, kafka's) through one JSON handler on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers[:] = []
        uvicorn_logger.propagate = True
    # Our access middleware logs each request with its route and request id.
    logging.getLogger("uvicorn.access").disabled = True
    # kafka-python is chatty at INFO about every metadata refresh.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, logging.getLevelName(level)))
