"""Intake's use cases and unit of work."""
