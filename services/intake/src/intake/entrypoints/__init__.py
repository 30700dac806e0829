"""Intake's HTTP API (intake consumes no events)."""
