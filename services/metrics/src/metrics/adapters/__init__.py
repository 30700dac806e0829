"""Persistence, telemetry and contract translation of the metrics projection."""
