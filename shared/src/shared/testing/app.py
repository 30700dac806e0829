"""Run a service's ASGI app with its lifespan in-process and talk to it over httpx."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from shared.runtime import Runtime


@asynccontextmanager
async def running_app(
    app: FastAPI, *, wait_for_broker: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan (store, broker, relay), yield a client, stop everything."""
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        if wait_for_broker:
            await asyncio.wait_for(runtime.broker_up.wait(), 30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def eventually(check: object, timeout: float = 20.0, interval: float = 0.05) -> None:
    """Await ``check()`` (sync or async, returning truthy) until it holds or time runs out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()  # type: ignore[operator]
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            msg = f"condition not met within {timeout}s"
            raise AssertionError(msg)
        await asyncio.sleep(interval)


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve the app on a real loopback port (a browser needs one); yields its base URL."""
    import uvicorn

    from shared.testing.nats_server import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started)
        await eventually(lambda: app.state.runtime.broker_up.is_set())
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
