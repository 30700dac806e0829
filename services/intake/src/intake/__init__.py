"""Lotse intake: one front door for every channel; never loses an accepted application."""
