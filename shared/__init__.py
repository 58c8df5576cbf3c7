"""The platform's common library. Services import from here and never from each other."""

from shared.app import COMMON_API_RESPONSES, create_service_app, database_ready
from shared.clients import ServiceIdentity, service_client
from shared.consumer import BatchConsumer, ConsumerConfig
from shared.database import Database, DatabaseTarget, SessionDep, database_target
from shared.identity import (
    AdminDep,
    Principal,
    PrincipalDep,
    Role,
    WriterDep,
    require_roles,
    sign_principal,
    verify_principal,
)
from shared.kafka import TopicSpec, broker_reachable, create_producer, ensure_topics
from shared.logging import configure_logging
from shared.outbox import OutboxMessageBase, OutboxRelay, enqueue
from shared.problems import (
    BadGateway,
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    GatewayTimeout,
    NotFound,
    PayloadTooLarge,
    Problem,
    ProblemError,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    problem_response,
    problem_responses,
)
from shared.settings import BaseServiceSettings, load_settings
from shared.types import UTCDateTime, format_cents, parse_cents, round_half_up, utcnow
from shared.validators import (
    FeaturedIndustry,
    featured_industry_of,
    industry_problem,
    is_valid_uscc,
    uscc_problem,
)

__all__ = [
    "COMMON_API_RESPONSES",
    "AdminDep",
    "BadGateway",
    "BadRequest",
    "BaseServiceSettings",
    "BatchConsumer",
    "Conflict",
    "ConsumerConfig",
    "Database",
    "DatabaseTarget",
    "FeaturedIndustry",
    "FieldError",
    "Forbidden",
    "GatewayTimeout",
    "NotFound",
    "OutboxMessageBase",
    "OutboxRelay",
    "PayloadTooLarge",
    "Principal",
    "PrincipalDep",
    "Problem",
    "ProblemError",
    "Role",
    "ServiceIdentity",
    "ServiceUnavailable",
    "SessionDep",
    "TooManyRequests",
    "TopicSpec",
    "UTCDateTime",
    "Unauthorized",
    "ValidationFailed",
    "WriterDep",
    "broker_reachable",
    "configure_logging",
    "create_producer",
    "create_service_app",
    "database_ready",
    "database_target",
    "enqueue",
    "ensure_topics",
    "featured_industry_of",
    "format_cents",
    "industry_problem",
    "is_valid_uscc",
    "load_settings",
    "parse_cents",
    "problem_response",
    "problem_responses",
    "require_roles",
    "round_half_up",
    "service_client",
    "sign_principal",
    "uscc_problem",
    "utcnow",
    "verify_principal",
]
