"""The store backends the suite runs on: embedded pyoxigraph, an Oxigraph server, Virtuoso.

``HARMGRAPH_TEST_BACKENDS`` (default ``embedded,oxigraph``; ``virtuoso`` adds the
third) names them. Tests opt in through the ``backend`` fixture (``pytestmark =
pytest.mark.usefixtures("backend")``), which runs them once per backend; inside,
:func:`fresh_store` gives a new empty store of the active backend:
``Store.open("memory")``, the session's Oxigraph server (``oxigraph serve`` from PyPI,
in memory, on a free 127.0.0.1 port) emptied with ``CLEAR ALL``, or the session's
Virtuoso (:class:`VirtuosoServer`, Debian's ``virtuoso-opensource``) with harmgraph's
graphs cleared (never Virtuoso's own). The servers die with the pytest process that
started them, even a killed one (:func:`tests.processes.popen`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import Store
from tests.processes import popen

BACKENDS = [
    b.strip() for b in os.environ.get("HARMGRAPH_TEST_BACKENDS", "embedded,oxigraph").split(",")
]
OXIGRAPH = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "oxigraph"
#: The modules that run on Virtuoso when it is among :data:`BACKENDS`: the store, the
#: import, export and dump paths, the SPARQL endpoint and the write API, about a minute and
#: a half. ``HARMGRAPH_TEST_VIRTUOSO=all`` runs every backend module on it (about five
#: minutes more: Virtuoso answers each update several times slower than Oxigraph).
VIRTUOSO_MODULES = frozenset(
    {
        "tests/graph/test_store.py",
        "tests/graph/test_io.py",
        "tests/graph/test_ingest.py",
        "tests/graph/test_versions.py",
        "tests/graph/test_describe.py",
        "tests/api/test_sparql.py",
        "tests/api/test_incidents.py",
        "tests/api/test_dumps.py",
        "tests/api/test_resources.py",
        "tests/api/test_etags.py",
    }
)


def backends_for(module: Path) -> list[str]:
    """The configured backends a test module runs on (Virtuoso: :data:`VIRTUOSO_MODULES`)."""
    if os.environ.get("HARMGRAPH_TEST_VIRTUOSO") == "all":
        return BACKENDS
    relative = module.resolve().relative_to(Path(__file__).resolve().parent.parent).as_posix()
    return [b for b in BACKENDS if b != "virtuoso" or relative in VIRTUOSO_MODULES]


_active: dict[str, str] = {"backend": "embedded", "url": ""}
T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
    store = RemoteStore(_active["url"], settings or Settings(store=_active["url"]))
    store.clear()
    return store


class OxigraphServer:
    """``oxigraph serve`` on a free 127.0.0.1 port, polled until it answers."""

    def __init__(self, location: Path | None = None, *, union_default: bool = False) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{self.port}"]
        if location is not None:
            command += ["--location", str(location)]
        if union_default:
            command.append("--union-default-graph")
        self.process = popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
#: Why the ``virtuoso`` backend cannot run here, if it cannot.
VIRTUOSO_MISSING = (
    ""
    if VIRTUOSO and ISQL
    else "virtuoso-t/isql-vt not installed (apt-get install virtuoso-opensource)"
)

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0
[URIQA]
DefaultHost = 127.0.0.1:{http}
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 60
"""
# The endpoint user may run SPARQL updates (role SPARQL_UPDATE) through the
# digest-authenticated /sparql-auth; anonymous /sparql stays read only.
_VIRTUOSO_SETUP = "DB.DBA.USER_CREATE ('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\";"


class VirtuosoServer:
    """Virtuoso (``virtuoso-t -f``) on its own fresh database and free 127.0.0.1 ports.

    The database, its ``virtuoso.ini`` and log live in a temporary directory, removed
    by :meth:`stop`. ISQL (port ``isql_port``, user ``dba``) creates the endpoint
    user ``harmgraph`` with a random password and the ``SPARQL_UPDATE`` role;
    harmgraph reads through ``/sparql`` and writes through ``/sparql-auth`` as that
    user (HTTP digest). :attr:`startup_seconds` is from the process start to the
    user being ready.
    """

    USER = "harmgraph"

    def __init__(self) -> None:
        if VIRTUOSO_MISSING:
            raise RuntimeError(VIRTUOSO_MISSING)
        started = time.monotonic()
        self.dir = Path(tempfile.mkdtemp(prefix="harmgraph-virtuoso-"))
        self.http_port, self.isql_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.password = secrets.token_hex(12)
        ini = self.dir / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(dir=self.dir, isql=self.isql_port, http=self.http_port))
        self._log = (self.dir / "stdout.log").open("wb")
        self.process = popen(
            [str(VIRTUOSO), "-f", "+configfile", str(ini)],
            cwd=self.dir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait(time.monotonic() + 60)
            self.isql(_VIRTUOSO_SETUP.format(user=self.USER, password=self.password))
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started

    def _wait(self, deadline: float) -> None:
        while True:
            if self.process.poll() is not None:
                log = (self.dir / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}: {log}")
            try:
                answer = httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"})
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"Virtuoso did not answer at {self.url} in time")
            time.sleep(0.05)  # polling interval; the loop checks the server itself

    def isql(self, sql: str) -> str:
        """Run SQL statements as ``dba`` through ``isql-vt``; raise on any error."""
        done = subprocess.run(  # noqa: S603 - Debian's isql-vt, our own statements
            [str(ISQL), f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={sql}"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=120,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql-vt failed ({done.returncode}): {output[-2000:]}")
        return output

    def load_nquads(self, path: Path) -> None:
        """Bulk-load an N-Quads file (copied into the database directory) and checkpoint."""
        target = self.dir / "load" / "data.nq"
        target.parent.mkdir()
        shutil.copyfile(path, target)
        self.isql(
            f"ld_dir ('{target.parent}', 'data.nq', 'urn:x-harmgraph:unused'); "
            "rdf_loader_run (); checkpoint;"
        )

    def environment(self) -> dict[str, str]:
        """The ``HARMGRAPH_*`` settings that reach this server (docs/deploy.md)."""
        return {
            "HARMGRAPH_STORE_QUERY_URL": f"{self.url}/sparql",
            "HARMGRAPH_STORE_UPDATE_URL": f"{self.url}/sparql-auth",
            "HARMGRAPH_STORE_GSP_URL": f"{self.url}/sparql-graph-crud",
            "HARMGRAPH_STORE_USER": self.USER,
            "HARMGRAPH_STORE_PASSWORD": self.password,
            "HARMGRAPH_STORE_AUTH": "digest",
            "HARMGRAPH_STORE_ENGINE": "virtuoso",
            "HARMGRAPH_STORE_UNION_DEFAULT_GRAPH": "false",
        }

    def settings(self, **overrides: Any) -> Settings:
        """Settings for a store on this server."""
        env = self.environment()
        return Settings(
            store=self.url,
            store_query_url=env["HARMGRAPH_STORE_QUERY_URL"],
            store_update_url=env["HARMGRAPH_STORE_UPDATE_URL"],
            store_gsp_url=env["HARMGRAPH_STORE_GSP_URL"],
            store_user=self.USER,
            store_password=self.password,
            store_auth="digest",
            store_engine="virtuoso",
            **overrides,
        )

    def stop(self) -> None:
        """Stop the server, wait for it and remove its database."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


#: The session's servers by backend name, registered by the fixtures that start them.
SERVERS: dict[str, OxigraphServer | VirtuosoServer] = {}

#: Parameters of the per-module ``store`` fixtures: both embedded kinds, and the servers.
STORE_PARAMS = ["memory", "disk"] + [b for b in ("oxigraph", "virtuoso") if b in BACKENDS]


def server_url(request: Any) -> str:
    """The session server's URL for a :data:`STORE_PARAMS` entry (started on first use)."""
    kind: str = request.param
    if kind in ("oxigraph", "virtuoso"):
        url: str = request.getfixturevalue(f"{kind}_url")
        return url
    return ""


def param_store(kind: str, tmp_path: Path, server_url: str = "") -> Store:
    """A new empty store for a :data:`STORE_PARAMS` entry."""
    if kind == "virtuoso":
        server = SERVERS["virtuoso"]
        assert isinstance(server, VirtuosoServer)
        remote = RemoteStore(server.url, server.settings())
        remote.clear()
        return remote
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
        self._servers: list[OxigraphServer | VirtuosoServer] = []
        #: Callbacks and context managers to close when the module is done.
        self.cleanup = ExitStack()

    def get(self, name: str, build: Callable[[], T], *, own_server: bool = True) -> T:
        """``build()`` for the active backend, once per module; later calls reuse it.

        ``own_server=False`` builds against the session's servers: for what only
        reads a session-wide store (the bundled data).
        """
        key = (active(), name)
        if key not in self._built:
            if active() == "embedded" or not own_server:
                self._built[key] = build()
            else:
                server = OxigraphServer() if active() == "oxigraph" else VirtuosoServer()
                self._servers.append(server)
                backend, session_url = active(), _active["url"]
                saved = {k: os.environ.get(k) for k in _environment(server)}
                os.environ.update(_environment(server))
                activate(backend, server.url)
                try:
                    self._built[key] = build()
                finally:
                    activate(backend, session_url)
                    for k, v in saved.items():
                        if v is None:
                            os.environ.pop(k, None)
                        else:
                            os.environ[k] = v
        built: T = self._built[key]
        return built

    def close(self) -> None:
        """Close what was registered, then stop the private servers."""
        self.cleanup.close()
        for server in self._servers:
            server.stop()


def _environment(server: OxigraphServer | VirtuosoServer) -> dict[str, str]:
    return server.environment() if isinstance(server, VirtuosoServer) else {}


def on_virtuoso(store: Store) -> bool:
    """Whether ``store`` is a remote store speaking Virtuoso's dialect (docs/deploy.md)."""
    return isinstance(store, RemoteStore) and store.dialect.name == "virtuoso"


#: Virtuoso 7.2 keeps the operations of an update request done before a failing one
#: (tested: a later ``LOAD`` of an unreachable URL, ``DROP GRAPH`` of a missing graph,
#: ``CREATE GRAPH`` of a graph with triples); docs/deploy.md.
VIRTUOSO_NOT_ATOMIC = pytest.mark.xfail(
    reason="Virtuoso applies an update request's operations one by one (docs/deploy.md)",
    strict=True,
)


def skip_on_virtuoso(reason: str) -> None:
    """Skip the running test on the Virtuoso backend, saying why (docs/deploy.md)."""
    if active() == "virtuoso":
        pytest.skip(f"Virtuoso: {reason}")
