"""Regression: query workers kept answering 500 while the writer compacted the store.

A worker's read-only view lists the store's files as they were when it opened;
RocksDB in the serving process flushes and compacts in the background (after a
write, and on opening a store that was written before) and deletes files that
view still lists. The worker then failed with ``Corruption: ... No such file``,
which became a 500 (or a 400 blaming the query). Found by
``test_http_crash.py``; the worker now reopens its view and retries with a short
backoff, and storage errors are 503 StoreError.

Embedded only: worker processes and RocksDB compaction belong to the on-disk store.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from api.main import create_app
from graph.settings import Settings
from graph.store import Store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _batch(k: int) -> list[ox.Quad]:
    p = ox.NamedNode("http://example.org/p")
    return [
        ox.Quad(ox.NamedNode(f"http://example.org/{k}/{i}"), p, ox.Literal(i)) for i in range(3000)
    ]


def test_queries_keep_answering_while_the_writer_compacts_the_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    app = create_app(Settings(store=str(tmp_path / "store"), query_workers=2), store)
    stop = threading.Event()

    def compact() -> None:
        k = 0
        while not stop.is_set():
            with app.state.queries.writing():  # as every write does: workers reopen after it
                store.ox.extend(_batch(k))
                store.ox.flush()
            if k % 2 == 1:  # what RocksDB does in the background once the write is done
                store.ox.optimize()
            k += 1

    statuses: dict[int, int] = {}
    problems: list[str] = []
    with TestClient(app) as client:
        writer = threading.Thread(target=compact, daemon=True)
        writer.start()
        try:
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:
                response = client.get(
                    "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}
                )
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code != 200:
                    problems.append(response.text[:300])
        finally:
            stop.set()
            writer.join(timeout=30)
    store.close()
    assert set(statuses) == {200}, (statuses, problems[:3])
