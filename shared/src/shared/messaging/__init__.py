"""Delivery plumbing shared by every service: topology, outbox, inbox, dead letters."""
