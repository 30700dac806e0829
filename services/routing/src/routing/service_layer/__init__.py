"""Use cases and the unit of work they run in."""
