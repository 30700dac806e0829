"""One four-service platform for the cross-service tests that only submit and read.

test_journey, test_personal_data and test_api_fuzz share it, started once per session: it
exports spans to one collector and logs at DEBUG, the strictest settings any of them needs.
The fuzz tests run last, so nothing they leave behind (rate limits, erased cases) is seen by
the others. test_chaos and test_bench start their own: they kill processes, or measure.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from shared.messaging.topology import delete_namespace
from shared.subjects import Namespace
from shared.testing.fixtures import unique_suffix
from shared.testing.processes import Platform

from .otlp_collector import OtlpCollector

LAST = "test_api_fuzz.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: Path(str(item.path)).name == LAST)


@pytest.fixture(scope="session")
def collector() -> Iterator[OtlpCollector]:
    with OtlpCollector() as c:
        yield c


@pytest.fixture(scope="session")
async def platform(
    nats_url: str, tmp_path_factory: pytest.TempPathFactory, collector: OtlpCollector
) -> AsyncIterator[Platform]:
    env = {
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "LOG_LEVEL": "DEBUG",  # libraries must not log personal data even at DEBUG
    }
    ns = Namespace(f"xs{unique_suffix()}")
    running = Platform(nats_url, ns.prefix, tmp_path_factory.mktemp("platform"), env)
    yield await asyncio.to_thread(running.start)
    running.stop()
    nc = await nats.connect(nats_url)
    try:
        await delete_namespace(nc.jetstream(), ns)
    finally:
        await nc.close()
