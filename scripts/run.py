"""`make run`: embedded NATS (unless NATS_URL is set) and the four services under honcho.

Picks free ports where the defaults are taken (this machine may already run a NATS on
4222), says what it chose, waits until every service is ready and prints where each is.
Ctrl-C stops everything; data stays under var/ for the next run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"intake": 8010, "routing": 8020, "notify": 8030, "metrics": 8040}
READY_TIMEOUT_S = 90


def port_taken(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def choose_port(wanted: int, what: str) -> int:
    if not port_taken(wanted):
        return wanted
    chosen = free_port()
    print(f"port {wanted} is already taken (another {what}?): using {chosen} instead")
    return chosen


def plan_environment() -> tuple[dict[str, str], list[str]]:
    """The environment for honcho and the Procfile entries to start."""
    env = dict(os.environ)
    env.setdefault("LOTSE_VAR_DIR", "var")
    Path(env["LOTSE_VAR_DIR"], "nats").mkdir(parents=True, exist_ok=True)
    processes = list(SERVICES)
    if "NATS_URL" in os.environ:
        print(f"using the NATS server at {os.environ['NATS_URL']} (NATS_URL)")
    else:
        nats_port = choose_port(int(env.get("LOTSE_NATS_PORT", "4222")), "NATS server")
        env["LOTSE_NATS_PORT"] = str(nats_port)
        env["LOTSE_NATS_MONITOR_PORT"] = str(choose_port(8222, "NATS monitor"))
        env["NATS_URL"] = f"nats://127.0.0.1:{nats_port}"
        processes.insert(0, "nats")
        print(f"starting embedded NATS with JetStream on {env['NATS_URL']} (data in var/nats)")
    for name, default in SERVICES.items():
        key = f"{name.upper()}_PORT"
        env[key] = str(choose_port(int(env.get(key, default)), f"{name} instance"))
    env.setdefault("INTAKE_STATUS_BASE_URL", f"http://127.0.0.1:{env['NOTIFY_PORT']}")
    env.setdefault("NOTIFY_PUBLIC_URL", f"http://127.0.0.1:{env['NOTIFY_PORT']}")
    return env, processes


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
            return json.load(r).get("status") in {"ok", "degraded"}
    except OSError:
        return False


def wait_until_ready(env: dict[str, str], honcho: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    pending = set(SERVICES)
    while pending and time.monotonic() < deadline and honcho.poll() is None:
        pending = {s for s in pending if not ready(int(env[f"{s.upper()}_PORT"]))}
        time.sleep(0.5)
    if pending:
        print(
            f"not ready after {READY_TIMEOUT_S}s: {', '.join(sorted(pending))} (see the log above)"
        )
    return not pending


def print_urls(env: dict[str, str]) -> None:
    def url(service: str) -> str:
        return f"http://127.0.0.1:{env[f'{service.upper()}_PORT']}"

    print("\nLotse is running:")
    print(f"  intake   {url('intake')}/docs      POST /v1/applications, GET /v1/concerns")
    print(f"  routing  {url('routing')}/docs     GET /v1/cases/{{ticket}}, GET /v1/queues/{{team}}")
    print(
        f"  notify   {url('notify')}/docs      GET /v1/status/{{tracking_code}}, /status/{{code}}"
    )
    print(f"  metrics  {url('metrics')}/docs     GET /v1/kpis")
    print(f"  NATS     {env['NATS_URL']}")
    print("  each service also serves /healthz /readyz /metrics /asyncapi.json")
    print("Press Ctrl-C to stop.\n", flush=True)


def main() -> int:
    os.chdir(ROOT)
    env, processes = plan_environment()
    honcho = subprocess.Popen(  # noqa: S603 - our own Procfile
        [sys.executable, "-m", "honcho", "start", "-f", "Procfile", *processes], env=env
    )
    # Ctrl-C reaches honcho too (same process group); honcho stops the children, we wait.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: honcho.terminate())
    if wait_until_ready(env, honcho):
        print_urls(env)
    return honcho.wait()


if __name__ == "__main__":
    sys.exit(main())
