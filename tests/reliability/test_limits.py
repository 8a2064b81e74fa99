"""Bounded work per request: load shedding (503 + Retry-After) and limits named in problems.

The service's limits run on each store backend (tests/backends.py); the thread pool of
the in-memory store (:class:`api.sparql.pool.ThreadExecutor`) is the embedded store's own.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.sparql.execute import QueryJob
from api.sparql.pool import ThreadExecutor
from graph.errors import QueryTimeout
from graph.settings import Settings
from graph.store import Store
from tests.api.conftest import Serve
from tests.backends import fresh_store

#: Three-way cross product: n³ rows to count (n=170: about a second on this machine).
CROSS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _store(n: int) -> Store:
    store = fresh_store()
    store.extend(_quads(n))
    return store


def _quads(n: int) -> Iterator[ox.Quad]:
    p = ox.NamedNode("http://example.org/p")
    return (ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(i)) for i in range(n))


async def _burst(base: str, count: int) -> list[httpx.Response]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        slow = [client.get("/sparql", params={"query": CROSS}) for _ in range(count)]
        return list(await asyncio.gather(*slow))


@pytest.mark.usefixtures("backend")
def test_a_burst_past_max_concurrent_requests_is_shed_with_503_and_retry_after(
    serve: Serve,
) -> None:
    settings = Settings(
        store="memory", max_concurrent_requests=2, max_queued_requests=2, query_timeout=5
    )
    base = serve(create_app(settings, _store(150)))
    health: list[int] = []

    def monitor() -> None:
        health.append(httpx.get(f"{base}/-/health", timeout=10).status_code)

    checker = threading.Timer(0.3, monitor)
    checker.start()
    responses = asyncio.run(_burst(base, 16))
    checker.join()
    statuses = [r.status_code for r in responses]
    shed = [r for r in responses if r.status_code == 503]
    assert shed, statuses
    assert set(statuses) <= {200, 503}, statuses
    assert statuses.count(200) >= 2  # the ones let in were answered
    for response in shed:
        assert response.headers["retry-after"] == "1"
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["limit"] == "max_concurrent_requests"
        assert problem["maximum"] == 2
        assert response.headers["x-content-type-options"] == "nosniff"
    assert health == [200]  # the health check is never shed


@pytest.mark.usefixtures("backend")
def test_a_query_past_max_query_length_is_refused_naming_the_limit() -> None:
    client = TestClient(create_app(Settings(store="memory", max_query_length=1000), _store(1)))
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
    for response in (
        client.get("/sparql", params={"query": long_query}),
        client.post(
            "/sparql", content=long_query, headers={"Content-Type": "application/sparql-query"}
        ),
    ):
        assert response.status_code == 400
        problem = response.json()
        assert problem["limit"] == "max_query_length"
        assert problem["maximum"] == 1000
        assert "max_query_length" in problem["detail"]
    short = client.get("/sparql", params={"query": "ASK {}"})
    assert short.status_code == 200


def test_timed_out_queries_waiting_for_a_thread_are_dropped_not_run_later() -> None:
    """Regression: timed-out jobs stayed queued and ran later, delaying every query behind."""
    store = Store.open("memory")
    store.extend(_quads(150))
    executor = ThreadExecutor(store.ox, timeout=0.3, workers=1)  # two threads
    job = QueryJob(CROSS, "text/csv")
    errors: list[Exception] = []

    def ask() -> None:
        try:
            executor.run(job)
        except QueryTimeout as err:
            errors.append(err)

    askers = [threading.Thread(target=ask) for _ in range(10)]
    for t in askers:
        t.start()
    for t in askers:
        t.join()
    assert len(errors) == 10
    started = time.monotonic()
    while True:  # the two running queries finish; the eight queued ones must not run
        try:
            executor.run(QueryJob("ASK {}", "text/csv"))
            break
        except QueryTimeout:
            assert time.monotonic() - started < 8, "queued queries that timed out still ran"
    waited = time.monotonic() - started
    executor.close()
    single = time.monotonic()
    list(store.ox.query(CROSS))
    one_query = time.monotonic() - single
    assert waited < 2.5 * one_query, (waited, one_query)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("max_concurrent_requests", 32),
        ("max_queued_requests", 64),
        ("max_query_length", 100_000),
        ("max_query_depth", 100),
        ("query_timeout", 10.0),
        ("max_rows", 10_000),
        ("max_upload_bytes", 20 * 1024 * 1024),
        ("max_view_nodes", 300),
        ("max_path_hops", 4),
    ],
)
def test_every_limit_is_a_setting_with_a_safe_default(setting: str, value: float) -> None:
    assert getattr(Settings(), setting) == value
