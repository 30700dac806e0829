"""Intake's adapters: store tables and repository, catalogue file, event translators."""
