"""API keys (issued by the administrator, kept only as hashes) and calendar feed tokens."""
