"""The service killed with SIGKILL while it writes or reads: nothing half-written or lost.

The service runs as its own process (:mod:`tests.reliability.servers`) over an
on-disk store holding synthetic incidents in the ``api`` graph. A client sends a
whole ``POST /incidents`` body of 120 incidents (60 re-described with revised
titles, 60 new); once the body is in the socket the server's process group is
killed at a seeded random moment within the time such a write takes, then the
service is restarted on the same store. The graph it serves must be exactly the
graph before the POST or exactly the graph after it.

Embedded only: the killed process holds the on-disk store; on a server the write is
one update request, which the engine applies whole or not at all (docs/deploy.md,
"Atomic imports").
"""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from graph import model
from graph.ingest import import_graph
from graph.io import parse
from graph.store import Store
from graph.validation import get_validator
from tests.reliability import servers
from tests.reliability.stores import revise, synthetic_files

pytestmark = pytest.mark.slow

API_GRAPH = str(model.named_graph("api"))
GRAPH_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{API_GRAPH}> {{ ?s ?p ?o }} }}"
KILLS = 4


class _Accept:
    """Validation stand-in for computing expected states (the data was validated once)."""

    def check(self, data: object) -> object:
        return type("Report", (), {"conforms": True, "violations": []})()


def _digest(ntriples: bytes) -> str:
    return hashlib.sha256(b"\n".join(sorted(ntriples.splitlines()))).hexdigest()


def _served(server: servers.Server) -> str:
    """The hash of the ``api`` graph as the service answers it."""
    response = httpx.get(
        f"{server.base}/sparql",
        params={"query": GRAPH_QUERY},
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert "hg-truncated" not in response.headers
    return _digest(response.content)


def _expected(base: Path, bodies: list[bytes]) -> str:
    """The hash of the ``api`` graph after importing ``base`` and then ``bodies``."""
    with Store.open("memory") as store:
        for data in [base.read_bytes(), *bodies]:
            import_graph(store, parse(data, "nt", source_name="x"), graph_name="api",
                         source="x", validator=_Accept())  # fmt: skip
        result = store.ox.query(GRAPH_QUERY)
        return _digest(result.serialize(format=__import__("pyoxigraph").RdfFormat.N_TRIPLES))


def _send_post(server: servers.Server, body: bytes) -> socket.socket:
    """Send a whole POST /incidents request on a raw socket; return it unread."""
    host, port = server.base.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)), timeout=60)
    head = (
        "POST /incidents?graph=api HTTP/1.1\r\n"
        f"Host: {host}\r\nAuthorization: Bearer {servers.TOKEN}\r\n"
        f"Content-Type: application/n-triples\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    conn.sendall(head.encode() + body)
    return conn


def _status(conn: socket.socket) -> int | None:
    """The status code of the answer on ``conn``, or None when the server died first."""
    try:
        first = conn.recv(64)
    except OSError:
        return None
    finally:
        conn.close()
    return int(first.split()[1]) if first.startswith(b"HTTP/1.1") else None


@pytest.fixture
def store_dir(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An on-disk store with 60 synthetic incidents in ``api``; the base and import files."""
    base, source = synthetic_files(tmp_path, total=120, base=60)
    location = tmp_path / "store"
    with Store.open(location) as store:
        import_graph(store, parse(base), graph_name="api", source="base", validator=get_validator())
    return location, base, source


def test_a_write_killed_mid_request_is_all_there_or_not_at_all(
    store_dir: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    location, base, source = store_dir
    log = tmp_path / "server.log"
    rng = random.Random(11)  # noqa: S311 - seeded kill moments, not secrets
    server = servers.start(location, log, max_rows="100000")
    # One complete write first: how long it takes, and that it lands.
    landed: list[bytes] = []
    body = revise(source.read_text(), "rev 0").encode()
    started = time.monotonic()
    assert _status(_send_post(server, body)) == 201
    write_time = time.monotonic() - started
    landed.append(body)
    outcomes = {"before": 0, "after": 0}
    try:
        for k in range(1, KILLS + 1):
            before = _expected(base, landed)
            assert _served(server) == before
            body = revise(source.read_text(), f"rev {k}").encode()
            conn = _send_post(server, body)
            time.sleep(rng.uniform(0, write_time))  # when to kill, not a sync
            server.kill()
            _status(conn)
            server = servers.start(location, log, max_rows="100000")
            seen = _served(server)
            if seen == before:
                outcomes["before"] += 1
            else:
                landed.append(body)
                assert seen == _expected(base, landed), f"kill {k}: a partial write was served"
                outcomes["after"] += 1
    finally:
        server.stop()
    print(f"POST killed within {write_time:.2f} s: {outcomes}")
    assert sum(outcomes.values()) == KILLS


def test_a_service_restarted_during_reads_serves_the_same_data(
    store_dir: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    location, _, _ = store_dir
    log = tmp_path / "server.log"
    server = servers.start(location, log, max_rows="100000")
    urls = [
        f"/sparql?query={GRAPH_QUERY}",
        "/id/incident/syn-000001.ttl",
        "/id/incident/syn-000042.json",
        "/-/health",
    ]

    def read_all(base: str) -> dict[str, bytes]:
        with httpx.Client(base_url=base, timeout=30) as client:
            answers = {}
            for url in urls:
                response = client.get(url, headers={"Accept": "application/n-triples"})
                assert response.status_code == 200, (url, response.text)
                answers[url] = response.content
            return answers

    before = read_all(server.base)
    stop, reads, failures = threading.Event(), [0], [0]

    def reader() -> None:
        while not stop.is_set():
            try:
                read_all(server.base)
                reads[0] += 1
            except (httpx.TransportError, AssertionError):
                failures[0] += 1  # the server is down: expected while it restarts

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        while reads[0] < 3:
            time.sleep(0.01)  # polling the reader's progress, not synchronisation
        server.kill()
        server = servers.start(location, log, max_rows="100000")
        after = read_all(server.base)
    finally:
        stop.set()
        thread.join(timeout=30)
        server.stop()
    assert after == before
    assert reads[0] >= 3
