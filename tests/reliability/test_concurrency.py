"""Concurrent writers and readers over HTTP: nothing lost, nothing seen half-written.

The app runs under uvicorn on 127.0.0.1 holding 60 synthetic incidents in the ``api``
graph, on each store backend (tests/backends.py): an on-disk store (query worker
processes, as in production) and the Oxigraph server.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from bench.generate import Generator
from graph.ingest import import_graph
from graph.io import parse
from graph.settings import Settings
from graph.store import Store
from graph.validation import get_validator
from tests.api.conftest import Serve
from tests.backends import fresh_store
from tests.reliability.stores import revise

TOKEN = "concurrency-token"  # noqa: S105 - a test-only token for a throw-away server
WRITE = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
FIRST = "https://w3id.org/harmgraph/id/incident/syn-000001"
KEY_FACT = "<https://w3id.org/harmgraph/ontology#keyFact>"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{FIRST}> ?p ?o }}"


@pytest.fixture
def service(
    backend: str, tmp_path: Path, serve: Serve, request: pytest.FixtureRequest
) -> Iterator[tuple[str, list[str]]]:
    """The service's base URL and N-Triples of 60 stored incidents and 8 new ones."""
    oxigraph_url = request.getfixturevalue("oxigraph_url") if backend == "oxigraph" else ""
    gen = Generator(60, 2)
    stored = ["\n".join(lines) + "\n" for lines in gen.incidents()]
    gen.redescribe = True  # later writes describe the systems they name, as curators do
    new = ["\n".join(lines) + "\n" for lines in gen.incidents(start=60, count=8)]
    location = str(tmp_path / "store") if backend == "embedded" else oxigraph_url
    store = Store.open(location) if backend == "embedded" else fresh_store()
    data = parse("".join(stored).encode(), "nt", source_name="base")
    import_graph(store, data, graph_name="api", source="base", validator=get_validator())
    settings = Settings(store=location, write_token=TOKEN, query_workers=2)
    base = serve(create_app(settings, store))
    yield base, stored + new
    store.close()


def _post(base: str, body: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        f"{base}/incidents?graph=api",
        content=body.encode(),
        headers={**WRITE, **(headers or {})},
        timeout=120,
    )


def _count(base: str) -> int:
    response = httpx.get(
        f"{base}/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=60
    )
    assert response.status_code == 200, response.text
    return int(response.text.split()[1])


def test_parallel_writers_of_different_incidents_all_land(
    service: tuple[str, list[str]],
) -> None:
    base, incidents = service
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda body: _post(base, body), incidents[60:]))
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    for k in range(61, 69):
        page = httpx.get(f"{base}/id/incident/syn-{k:06d}.json", timeout=30)
        assert page.status_code == 200, k


def test_parallel_writers_of_one_incident_with_if_match_one_wins_the_rest_409(
    service: tuple[str, list[str]],
) -> None:
    base, incidents = service
    tag = httpx.get(f"{base}/id/incident/syn-000001.ttl", timeout=30).headers["etag"]
    bodies = [revise(incidents[0], f"writer {k}") for k in range(6)]
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda b: _post(base, b, {"If-Match": tag}), bodies))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 5}, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 201)
    assert winner.json()["replaced"] == [{"incident": FIRST, "etag": tag}]
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.headers["content-type"] == "application/problem+json"
        assert "nothing was written" in loser.json()["detail"]
    won = bodies[responses.index(winner)]
    title = next(line for line in won.splitlines() if "writer" in line).split('"')[1]
    page = httpx.get(f"{base}/id/incident/syn-000001.json", timeout=30).text
    assert title in page


def test_parallel_writers_without_if_match_each_say_what_they_replaced(
    service: tuple[str, list[str]],
) -> None:
    """Last writer wins, and no two writers claim to have replaced the same version."""
    base, incidents = service
    bodies = [revise(incidents[0], f"writer {k}") for k in range(6)]
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda b: _post(base, b), bodies))
    assert [r.status_code for r in responses] == [201] * 6
    replaced = [r.json()["replaced"][0]["etag"] for r in responses]
    written = [r.headers["etag"] for r in responses]
    assert len(set(replaced)) == 6, replaced  # a chain: each replaced a different version
    assert len(set(written) - set(replaced)) == 1  # and exactly one version is the last


def test_readers_never_see_half_an_incident_while_it_is_replaced(
    service: tuple[str, list[str]],
) -> None:
    base, incidents = service
    short = incidents[0]
    longer = short + f'<{FIRST}> {KEY_FACT} "An extra key fact, added and removed."@en .\n'
    before = _count(base)
    stop = threading.Event()
    seen: Counter[int] = Counter()

    def read() -> None:
        while not stop.is_set():
            seen[_count(base)] += 1

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for k in range(12):
            assert _post(base, longer if k % 2 == 0 else short).status_code == 201
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    print(f"reader counts while replaced 12 times: {dict(seen)}")
    assert set(seen) <= {before, before + 1}, seen
    assert sum(seen.values()) >= 10
