"""Subscribers, HTTP routes and the ASGI app."""
