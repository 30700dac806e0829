"""Persistence, rule file, clock and contract translators."""
