"""Test support shared by every service: real NATS and database backends, unique per test."""
