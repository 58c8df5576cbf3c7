"""The audit trail: written off the hot path (writer.py), read by the administrator."""
