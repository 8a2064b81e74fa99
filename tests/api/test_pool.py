"""Query worker processes answering from the event loop (api/sparql/pool.py,
ProcessExecutor.run_async), on a small on-disk store.

Embedded only: worker processes exist for the on-disk store (on a server the engine
runs the queries, api/sparql/remote.py, covered by tests/api/test_sparql.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.sparql.execute import QueryJob
from api.sparql.pool import ProcessExecutor
from graph.errors import QueryTimeout

CSV = "text/csv"
#: A cross product that runs for minutes: stopped at the time limit.
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    store = ox.Store(str(tmp_path / "store"))
    for k in range(60):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{k}"), ox.NamedNode("http://e/p"), ox.Literal(k)))
    store.flush()
    del store
    return tmp_path / "store"


@pytest.fixture
def executor(store_dir: Path) -> Iterator[ProcessExecutor]:
    pool = ProcessExecutor(str(store_dir), timeout=2, workers=1)
    yield pool
    pool.close()


def _count(predicate: str = "http://e/p") -> QueryJob:
    return QueryJob(f"SELECT (COUNT(*) AS ?n) {{ ?s <{predicate}> ?o }}", CSV)


def test_run_async_answers_what_run_answers(executor: ProcessExecutor) -> None:
    assert asyncio.run(executor.run_async(_count())).body == executor.run(_count()).body


def test_a_cancelled_query_never_hands_its_answer_to_the_next_one(
    executor: ProcessExecutor,
) -> None:
    async def cancel_then_ask() -> bytes:
        slow = asyncio.ensure_future(executor.run_async(QueryJob(SLOW, CSV)))
        await asyncio.sleep(0)  # let it reach the worker (an ordering point, not a wait)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        return (await executor.run_async(_count("http://e/none"))).body

    before = executor.pids()
    assert asyncio.run(cancel_then_ask()) == b"n\r\n0\r\n"
    assert executor.pids() != before  # the busy worker was replaced, not reused


def test_a_query_past_the_limit_is_stopped(executor: ProcessExecutor) -> None:
    with pytest.raises(QueryTimeout):
        asyncio.run(executor.run_async(QueryJob(SLOW, CSV)))
    assert asyncio.run(executor.run_async(_count())).body == b"n\r\n60\r\n"
