"""Pure intake rules: tickets, the concern catalogue, applications (no I/O)."""
