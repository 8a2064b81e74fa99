"""The store backends the suite runs on: embedded pyoxigraph and a real Oxigraph server.

``HARMGRAPH_TEST_BACKENDS`` (default ``embedded,oxigraph``) names them. Tests opt in
through the ``backend`` fixture (``pytestmark = pytest.mark.usefixtures("backend")``),
which runs them once per backend; inside, :func:`fresh_store` gives a new empty
store of the active backend: ``Store.open("memory")``, or the session's Oxigraph
server (``oxigraph serve`` from PyPI, in memory, on a free 127.0.0.1 port) emptied
with ``CLEAR ALL``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import httpx

from graph.settings import Settings
from graph.store import Store

BACKENDS = [
    b.strip() for b in os.environ.get("HARMGRAPH_TEST_BACKENDS", "embedded,oxigraph").split(",")
]
OXIGRAPH = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "oxigraph"

_active: dict[str, str] = {"backend": "embedded", "url": ""}
T = TypeVar("T")


def activate(backend: str, url: str = "") -> None:
    """Make :func:`fresh_store` open stores of ``backend`` (at ``url`` for a server)."""
    _active.update(backend=backend, url=url)


def active() -> str:
    """The backend :func:`fresh_store` currently opens."""
    return _active["backend"]


def fresh_store(settings: Settings | None = None) -> Store:
    """A new, empty store of the active backend."""
    if _active["backend"] == "embedded":
        return Store.open("memory")
    store = Store.open(_active["url"], settings or Settings(store=_active["url"]))
    store.update("CLEAR ALL", prefixes=None)
    return store


class OxigraphServer:
    """``oxigraph serve`` on a free 127.0.0.1 port, polled until it answers."""

    def __init__(self, location: Path | None = None, *, union_default: bool = False) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{self.port}"]
        if location is not None:
            command += ["--location", str(location)]
        if union_default:
            command.append("--union-default-graph")
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's oxigraph binary
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait(time.monotonic() + 30)

    def _wait(self, deadline: float) -> None:
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/query", params={"query": "ASK {}"}).status_code == 200:
                    return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.02)  # polling interval; the loop checks the server itself

    def stop(self) -> None:
        """Stop the server and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


#: Parameters of the per-module ``store`` fixtures: both embedded kinds, and the server.
STORE_PARAMS = ["memory", "disk"] + (["oxigraph"] if "oxigraph" in BACKENDS else [])


def param_store(kind: str, tmp_path: Path, server_url: str = "") -> Store:
    """A new empty store for a :data:`STORE_PARAMS` entry."""
    if kind == "oxigraph":
        store = Store.open(server_url, Settings(store=server_url))
        store.update("CLEAR ALL", prefixes=None)
        return store
    return Store.open("memory" if kind == "memory" else str(tmp_path / "nested" / "store"))


class Shared:
    """Things built once per backend and kept for a module (the ``shared`` fixture).

    For read-only tests whose store (or app, or served app over it) is slow to build:
    :meth:`get` builds it on the first test of each backend and hands the same object
    to the rest. :func:`fresh_store` empties the session's Oxigraph server, so a store
    that outlives a test cannot live there: on that backend each :meth:`get` builds
    inside its own ``oxigraph serve``, which only this object uses and stops.
    """

    def __init__(self) -> None:
        self._built: dict[tuple[str, str], Any] = {}
        self._servers: list[OxigraphServer] = []
        #: Callbacks and context managers to close when the module is done.
        self.cleanup = ExitStack()

    def get(self, name: str, build: Callable[[], T], *, own_server: bool = True) -> T:
        """``build()`` for the active backend, once per module; later calls reuse it.

        ``own_server=False`` builds against the session's servers: for what only
        reads a session-wide store (the bundled data).
        """
        key = (active(), name)
        if key not in self._built:
            if active() != "oxigraph" or not own_server:
                self._built[key] = build()
            else:
                server = OxigraphServer()
                self._servers.append(server)
                session_url = _active["url"]
                activate("oxigraph", server.url)
                try:
                    self._built[key] = build()
                finally:
                    activate("oxigraph", session_url)
        built: T = self._built[key]
        return built

    def close(self) -> None:
        """Close what was registered, then stop the private servers."""
        self.cleanup.close()
        for server in self._servers:
            server.stop()
