"""Lotse routing: explainable priority triage and team work lists."""
