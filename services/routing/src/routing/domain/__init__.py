"""Pure routing rules and entities: no I/O, no contracts, no clock."""
