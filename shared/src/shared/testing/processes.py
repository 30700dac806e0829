"""Start the four services as real processes against one NATS server, as `make run` does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from shared.testing.nats_server import free_port

SERVICES = ("intake", "routing", "notify", "metrics")


@dataclass
class Platform:
    nats_url: str
    namespace: str
    var_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "LOTSE_"))}
        env.update(
            NATS_URL=self.nats_url,
            LOTSE_NAMESPACE=self.namespace,
            LOTSE_VAR_DIR=str(self.var_dir),
            LOG_LEVEL="INFO",
        )
        for service in SERVICES:
            env[f"{service.upper()}_PORT"] = str(self.ports[service])
            env.pop(f"{service.upper()}_DATABASE_URL", None)
        env["INTAKE_STATUS_BASE_URL"] = self.url("notify")
        env["NOTIFY_PUBLIC_URL"] = self.url("notify")
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60.0) -> Platform:
        self.ports = {s: free_port() for s in SERVICES}
        env = self.env()
        for service in SERVICES:
            log = (self.var_dir / f"{service}.log").open("ab")
            self.procs[service] = subprocess.Popen(
                [sys.executable, "-m", service], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        for service in SERVICES:
            while not self._ready(service):
                if time.monotonic() > deadline or self.procs[service].poll() is not None:
                    raise RuntimeError(
                        f"{service} did not become ready: {self.log(service)[-3000:]}"
                    )
                time.sleep(0.1)
        return self

    def _ready(self, service: str) -> bool:
        try:
            r = httpx.get(f"{self.url(service)}/readyz", timeout=1)
        except httpx.HTTPError:
            return False
        return r.status_code == 200 and r.json()["status"] == "ok"

    def log(self, service: str) -> str:
        return (self.var_dir / f"{service}.log").read_text(errors="replace")

    def stop(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
