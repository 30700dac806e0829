"""Pure rules of notify: case state, languages, messages (no I/O)."""
