"""RFC 9457 problem details: typed errors services raise, and the one renderer for all of them."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE_URI = "https://sbe.suzhou.gov.cn/problems/"

logger = logging.getLogger("sbe.problems")


class FieldError(BaseModel):
    """One field at fault, naming the record by its position in a batch where there is one."""

    index: int | None = Field(default=None, description="Position of the record in the batch.")
    field: str = Field(description="The field at fault (dotted path inside the record).")
    message: str = Field(description="What is wrong with it.")


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="URI identifying the problem type.")
    title: str = Field(description="Short, human-readable summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="Explanation specific to this occurrence.")
    errors: list[FieldError] | None = Field(
        default=None, description="Validation failures, one per record and field at fault."
    )


class ProblemError(Exception):
    """Base of every error a service raises on purpose; carries its HTTP status."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"
    slug: ClassVar[str] = "internal-error"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def to_response(self) -> Response:
        """Render this error as problem+json."""
        return problem_response(
            self.status,
            self.detail,
            title=self.title,
            slug=self.slug,
            errors=self.errors,
            headers=self.headers,
            extra=self.extra,
        )


class BadRequest(ProblemError):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthorized(ProblemError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="sbe"'})
        super().__init__(detail, **kwargs)


class Forbidden(ProblemError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(ProblemError):
    status, title, slug = 404, "Not Found", "not-found"


class Conflict(ProblemError):
    status, title, slug = 409, "Conflict", "conflict"


class PayloadTooLarge(ProblemError):
    status, title, slug = 413, "Content Too Large", "payload-too-large"


class UnsupportedMediaType(ProblemError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class ValidationFailed(ProblemError):
    status, title, slug = 422, "Unprocessable Content", "validation-error"


class TooManyRequests(ProblemError):
    status, title, slug = 429, "Too Many Requests", "rate-limited"


class BadGateway(ProblemError):
    status, title, slug = 502, "Bad Gateway", "bad-gateway"


class ServiceUnavailable(ProblemError):
    status, title, slug = 503, "Service Unavailable", "unavailable"


class GatewayTimeout(ProblemError):
    status, title, slug = 504, "Gateway Timeout", "gateway-timeout"


_TITLES = {
    cls.status: (cls.title, cls.slug)
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        ValidationFailed,
        TooManyRequests,
        BadGateway,
        ServiceUnavailable,
        GatewayTimeout,
    )
}
_TITLES[405] = ("Method Not Allowed", "method-not-allowed")


def problem_body(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    slug: str | None = None,
    errors: Iterable[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> bytes:
    """Serialise one problem document."""
    default_title, default_slug = _TITLES.get(status, ("Error", "error"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE_URI + (slug or default_slug),
        "title": title or default_title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [e.model_dump(exclude_none=True) for e in errors]
    if extra:
        body.update(extra)
    return orjson.dumps(body)


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    slug: str | None = None,
    errors: Iterable[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A problem+json response."""
    body = problem_body(status, detail, title=title, slug=slug, errors=errors, extra=extra)
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def field_errors_from_pydantic(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Turn pydantic error locations into {index, field, message}, naming batch records by index."""
    result: list[FieldError] = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        index = next((part for part in loc if isinstance(part, int)), None)
        if index is not None:
            # Everything after the record's position names the field inside the record.
            after = loc[loc.index(index) + 1 :]
            before = loc[: loc.index(index)]
            field = ".".join(str(p) for p in after) or ".".join(str(p) for p in before)
        else:
            field = ".".join(str(p) for p in loc) or "body"
        if error.get("type") == "extra_forbidden":
            message = "unknown field"
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
        result.append(FieldError(index=index, field=field, message=message))
    return result


async def _problem_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return exc.to_response()


async def _validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors_from_pydantic(exc.errors())
    count = len(errors)
    detail = f"The request has {count} invalid field{'s' if count != 1 else ''}."
    return problem_response(422, detail, errors=errors)


async def _http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}."
    return problem_response(exc.status_code, detail, headers=exc.headers)


async def _unexpected_handler(request: Request, exc: Exception) -> Response:
    # The cause goes to the log with its traceback; the caller gets the request id to quote.
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    request_id = request.headers.get("x-request-id", "")
    detail = "The server failed to handle the request."
    if request_id:
        detail += f" Quote request id {request_id} when reporting it."
    return problem_response(500, detail, title="Internal Server Error", slug="internal-error")


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error of the app as problem+json."""
    app.add_exception_handler(ProblemError, _problem_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.add_exception_handler(Exception, _unexpected_handler)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problem statuses a route can answer."""
    return {
        status: {
            "model": Problem,
            "description": _TITLES.get(status, ("Error", ""))[0],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
