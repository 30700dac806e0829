"""Projection use cases and keyword-only KPI queries."""
