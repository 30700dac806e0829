"""Routing replicas as real ``python -m routing`` processes sharing one store and namespace."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from shared.testing.nats_server import free_port


@dataclass
class Replica:
    """One routing process; ``env`` is what every replica shares (store, NATS, namespace)."""

    name: str
    env: dict[str, str]
    var_dir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> Replica:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "LOTSE_"))}
        env = {k: v for k, v in env.items() if not k.startswith("ROUTING_")}
        env.update(self.env, ROUTING_PORT=str(self.port), LOTSE_VAR_DIR=str(self.var_dir))
        with (self.var_dir / "routing.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "routing"], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while not self._ready():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                msg = f"routing replica {self.name} did not become ready: {self.log()[-3000:]}"
                raise RuntimeError(msg)
            time.sleep(0.1)
        return self

    def _ready(self) -> bool:
        try:
            answer = httpx.get(f"{self.url}/readyz", timeout=1)
        except httpx.HTTPError:
            return False
        return answer.status_code == 200 and answer.json()["status"] == "ok"

    def log(self) -> str:
        return (self.var_dir / "routing.log").read_text(errors="replace")

    def handled(self, event: str) -> int:
        """Deliveries of ``event`` (e.g. ``application_received``) this process acknowledged."""
        text = httpx.get(f"{self.url}/metrics", timeout=5).text
        return int(
            sum(
                sample.value
                for family in text_string_to_metric_families(text)
                for sample in family.samples
                if sample.name.endswith("received_processed_messages_total")
                and event in sample.labels.get("handler", "")
                and sample.labels.get("status") == "acked"
            )
        )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
