"""Every gateway table, imported so the gateway's metadata is complete."""

from gateway.db import GatewayTable
from gateway.keys.models import ApiKey, AuditEntry

metadata = GatewayTable.metadata

__all__ = ["ApiKey", "AuditEntry", "metadata"]
