"""The four services as real processes against one NATS server, as `make run` starts them."""

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
    """Service processes with their own ports, var dir and namespace; restartable one by one."""

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
        env["INTAKE_SMTP_PORT"] = "0"
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 120.0) -> Platform:
        self.ports = self.ports or {s: free_port() for s in SERVICES}
        for service in SERVICES:
            self.launch(service)
        for service in SERVICES:
            self.wait_ready(service, timeout)
        return self

    def launch(self, service: str) -> None:
        """Start (or restart) one service process on its port."""
        log = (self.var_dir / f"{service}.log").open("ab")
        self.procs[service] = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", service], env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )

    def kill(self, service: str) -> None:
        """SIGKILL: no shutdown hook runs, as in a power cut or an OOM kill."""
        proc = self.procs[service]
        proc.kill()
        proc.wait(10)

    def wait_ready(
        self, service: str, timeout: float = 120.0, *, degraded_ok: bool = False
    ) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready(service, degraded_ok=degraded_ok):
            if time.monotonic() > deadline or self.procs[service].poll() is not None:
                msg = f"{service} did not become ready: {self.log(service)[-3000:]}"
                raise RuntimeError(msg)
            time.sleep(0.1)

    def _ready(self, service: str, *, degraded_ok: bool = False) -> bool:
        try:
            r = httpx.get(f"{self.url(service)}/readyz", timeout=1)
        except httpx.HTTPError:
            return False
        accepted = {"ok", "degraded"} if degraded_ok else {"ok"}
        return r.status_code == 200 and r.json()["status"] in accepted

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
