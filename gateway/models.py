"""Every gateway table, imported so the gateway's metadata is complete."""

from gateway.accounts.models import PasswordHistory, RecoveryCode, User, UserSession
from gateway.audit.models import AuditEntry
from gateway.db import GatewayTable
from gateway.keys.models import ApiKey, FeedToken

metadata = GatewayTable.metadata

__all__ = [
    "ApiKey",
    "AuditEntry",
    "FeedToken",
    "PasswordHistory",
    "RecoveryCode",
    "User",
    "UserSession",
    "metadata",
]
