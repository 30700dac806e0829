"""HTTP routers, event subscribers and the ASGI app."""
