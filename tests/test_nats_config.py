"""The fsync choice is in force: every shipped NATS config runs with sync_interval: always."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from shared.testing.nats_server import NatsServer, free_port

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "deploy" / "nats").rglob("*.conf"))


def local_copy(config: Path, tmp_path: Path) -> Path:
    """The same config with its store and listen addresses moved onto this test's ground."""
    text = config.read_text()
    text = re.sub(r"store_dir:\s*\S+", f'store_dir: "{tmp_path / "js"}"', text)
    text = re.sub(r"listen:\s*\S+", f"listen: 127.0.0.1:{free_port()}", text)
    copy = tmp_path / config.name
    copy.write_text(text)
    return copy


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_jetstream_fsyncs_every_write(config: Path, tmp_path: Path) -> None:
    monitor = free_port()
    copy = local_copy(config, tmp_path)
    server = NatsServer(tmp_path / "nats", None, "-c", str(copy), "-m", str(monitor)).start()
    try:
        varz = httpx.get(f"http://127.0.0.1:{monitor}/varz", timeout=5).json()
    finally:
        server.stop()
    assert varz["jetstream"]["config"]["sync_always"] is True
