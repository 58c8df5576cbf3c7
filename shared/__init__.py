"""The platform's infrastructure, the part every service is written with: settings, the database,
identity and roles, problems, request schemas and time, the app factory and the client services
call each other with.

Four narrower surfaces sit beside it, each for one kind of work:
- `shared.params`: the query and path parameters the endpoints share, and the page they ask for;
- `shared.messaging`: Kafka, the batch consumer and its dead letters, the outbox, periodic work;
- `shared.edge`: the HTTP edge (bodies, raw problems, middleware, the signed principal header);
- `shared.ops`: migrations, logging set-up, database targets, the headless browser's flags.

Code outside `shared` imports from these five and never from another of its modules
(import-linter holds it); `shared` imports nothing of the platform. The policy the services share
(topics and messages, money, reference data, reviews, copies) is `policy`, built on this."""

from shared.app import create_service_app
from shared.clients import service_client
from shared.database import (
    Database,
    DatabaseDep,
    SessionDep,
    after_commit,
    database_target,
    dialect_insert,
    driver_connection,
    fetch_rows,
    is_postgres,
    write_rows,
)
from shared.identity import (
    AdminDep,
    OverseerDep,
    Principal,
    PrincipalDep,
    Role,
    WriterDep,
    get_principal,
    require_roles,
)
from shared.iteration import batched, newest_by
from shared.problems import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
    problem_responses,
)
from shared.schemas import Line, Paragraphs, PlatformDatetime, RequestModel
from shared.settings import BaseServiceSettings, app_settings, load_settings
from shared.spreadsheets import csv_bytes, safe_row
from shared.types import SHANGHAI, UTCDateTime, beijing_today, utcnow, year_bounds

__all__ = [
    "SHANGHAI",
    "AdminDep",
    "BaseServiceSettings",
    "Conflict",
    "Database",
    "DatabaseDep",
    "FieldError",
    "Forbidden",
    "Line",
    "NotFound",
    "OverseerDep",
    "Paragraphs",
    "PlatformDatetime",
    "Principal",
    "PrincipalDep",
    "RequestModel",
    "Role",
    "ServiceUnavailable",
    "SessionDep",
    "UTCDateTime",
    "UnsupportedMediaType",
    "ValidationFailed",
    "WriterDep",
    "after_commit",
    "app_settings",
    "batched",
    "beijing_today",
    "create_service_app",
    "csv_bytes",
    "database_target",
    "dialect_insert",
    "driver_connection",
    "fetch_rows",
    "get_principal",
    "is_postgres",
    "load_settings",
    "newest_by",
    "problem_responses",
    "require_roles",
    "safe_row",
    "service_client",
    "utcnow",
    "write_rows",
    "year_bounds",
]
