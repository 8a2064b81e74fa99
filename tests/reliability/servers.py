"""The service as its own process: uvicorn on 127.0.0.1, so a test can SIGKILL it.

:func:`start` binds a socket on a free loopback port itself and hands it to
``uvicorn --fd`` (no port race), with ``HARMGRAPH_*`` settings in the
environment, then polls ``/-/health`` until the service answers. The process dies
with the test run (:func:`tests.processes.popen`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from graph.settings import PROJECT_ROOT
from tests.processes import popen

TOKEN = "reliability-write-token"  # noqa: S105 - a test-only token for a throw-away server


@dataclass
class Server:
    """A running service process and the socket it listens on."""

    process: subprocess.Popen[bytes]
    sock: socket.socket
    base: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def kill(self) -> None:
        """SIGKILL the server (and its query workers, which die with their pipes)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.sock.close()

    def stop(self) -> None:
        """Stop it the polite way (SIGTERM), as a supervisor would."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.sock.close()

    def rss_kib(self) -> int:
        """Resident memory of the server process (not its workers), KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS for the server process")


def start(store: Path | str, log: Path, **settings: str) -> Server:
    """Start the service over ``store`` with ``HARMGRAPH_<NAME>`` settings; wait until up."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    env = {**os.environ, "HARMGRAPH_STORE": str(store), "HARMGRAPH_WRITE_TOKEN": TOKEN}
    env.update({f"HARMGRAPH_{k.upper()}": v for k, v in settings.items()})
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "api.main:create_app",
        "--fd",
        str(sock.fileno()),
        "--log-level",
        "warning",
    ]
    with log.open("ab") as out:
        process = popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            pass_fds=[sock.fileno()],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() reaches the workers too
        )
    server = Server(process, sock, base, log, env)
    _wait_until_up(server, time.monotonic() + 60)
    return server


def _wait_until_up(server: Server, deadline: float) -> None:
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited: {server.log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{server.base}/-/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)  # polling interval, not synchronisation: the loop checks the server
