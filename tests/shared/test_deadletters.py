"""Which failures are the message's fault, and what a dead letter carries."""

from __future__ import annotations

import base64
import hashlib
import logging
import sys

from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from shared import utcnow
from shared.messaging import (
    ENVELOPE_VALUE_BYTES,
    Letter,
    TransientError,
    describe_failure,
    envelope,
    is_transient,
)


class _PgError(Exception):
    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class TestIsTransient:
    def test_connection_failures_are_transient(self) -> None:
        assert is_transient(ConnectionRefusedError())
        assert is_transient(TimeoutError())
        assert is_transient(OperationalError("SELECT 1", {}, Exception("gone")))
        assert is_transient(TransientError("registry away"))

    def test_a_terminated_backend_is_transient(self) -> None:
        assert is_transient(_PgError("terminating connection", "57P01"))

    def test_a_wrapped_transient_cause_is_transient(self) -> None:
        try:
            try:
                raise ConnectionResetError()
            except ConnectionResetError as inner:
                raise RuntimeError("while storing") from inner
        except RuntimeError as outer:
            assert is_transient(outer)

    def test_values_the_database_refuses_are_not(self) -> None:
        out_of_range = _PgError("integer out of range", "22003")
        assert not is_transient(DataError("INSERT …", {}, out_of_range))
        assert not is_transient(IntegrityError("INSERT …", {}, Exception("duplicate")))
        assert not is_transient(KeyError("name"))
        assert not is_transient(ValueError("bad"))


class TestDescribeFailure:
    def test_names_the_error_without_statement_or_parameters(self) -> None:
        error = DataError(
            "INSERT INTO tax VALUES ($1)", {"uscc": "91350100M000100Y43"}, _PgError("out", "22003")
        )
        detail = describe_failure(error)
        assert "22003" in detail and "_PgError" in detail
        assert "91350100M000100Y43" not in detail and "INSERT" not in detail


class TestEnvelope:
    def test_a_large_value_travels_as_its_head_with_length_and_digest(self) -> None:
        value = b"x" * (ENVELOPE_VALUE_BYTES * 3)
        letter = Letter("t", 0, 7, b"k", value, "oversized", "too big")
        body = envelope(letter, utcnow())
        assert base64.b64decode(body["value_base64"]) == value[:ENVELOPE_VALUE_BYTES]
        assert body["value_length"] == len(value)
        assert body["value_sha256"] == hashlib.sha256(value).hexdigest()
        assert body["value_truncated"] is True

    def test_a_small_value_travels_whole(self) -> None:
        body = envelope(Letter("t", 0, 1, None, b"{}", "unparseable", "?"), utcnow())
        assert base64.b64decode(body["value_base64"]) == b"{}"
        assert body["value_truncated"] is False and body["key"] is None


class TestDatabaseErrorsInLogs:
    async def test_a_refused_value_never_reaches_a_log_line(self, database_url: str) -> None:
        from sqlalchemy import text

        from shared import Database
        from shared.ops import DatabaseTarget, JsonFormatter

        database = Database.open(DatabaseTarget(database_url, "registry"), pool_size=1)
        secret = "91350100M000100Y43"
        formatter = JsonFormatter("test")
        try:
            for statement, value in (
                ("SELECT CAST(:v AS integer)", secret),  # refused by the driver
                ("SELECT CAST(CAST(:v AS text) AS integer)", secret),  # refused by PostgreSQL
            ):
                try:
                    async with database.unit_of_work() as session:
                        await session.exec(text(statement), params={"v": value})  # type: ignore[call-overload]
                except Exception:
                    record = logging.getLogger("t").makeRecord(
                        "t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
                    )
                    line = formatter.format(record)
                    assert secret not in line
                    assert "SELECT CAST" in line  # the statement is still there to debug
                else:
                    raise AssertionError("the cast should have failed")
        finally:
            await database.dispose()
