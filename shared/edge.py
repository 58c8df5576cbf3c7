"""The HTTP edge: bodies read once and bounded, problems sent from raw ASGI, the middleware every
app carries, and the signed principal header the gateway sets and the services verify. The
gateway and the process launcher use it, and the few service parts that work at the edge
(uploads, readiness)."""

from shared.app import database_ready, offline_docs
from shared.clients import CLIENT_IDLE_SECONDS, SERVER_IDLE_SECONDS
from shared.identity import PRINCIPAL_HEADER, sign_principal, verify_principal
from shared.logging import request_id_var
from shared.middleware import (
    UPLOAD_SUFFIX,
    InternalIdentityMiddleware,
    ObservabilityMiddleware,
    body_limit,
    declares_more_than,
    header,
    read_body,
    send_problem,
    too_large,
)
from shared.problems import PayloadTooLarge, problem_response

__all__ = [
    "CLIENT_IDLE_SECONDS",
    "PRINCIPAL_HEADER",
    "SERVER_IDLE_SECONDS",
    "UPLOAD_SUFFIX",
    "InternalIdentityMiddleware",
    "ObservabilityMiddleware",
    "PayloadTooLarge",
    "body_limit",
    "database_ready",
    "declares_more_than",
    "header",
    "offline_docs",
    "problem_response",
    "read_body",
    "request_id_var",
    "send_problem",
    "sign_principal",
    "too_large",
    "verify_principal",
]
