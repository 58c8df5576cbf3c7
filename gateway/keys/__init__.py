"""API keys (issued by the administrator, kept only as hashes) and the audit trail of their use."""
