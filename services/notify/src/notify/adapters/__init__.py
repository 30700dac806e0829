"""Persistence, channels, rendering and contract translators."""
