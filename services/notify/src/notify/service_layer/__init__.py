"""Use cases, commands and the unit of work."""
