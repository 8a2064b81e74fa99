"""Query worker processes answering from the event loop (api/sparql/pool.py,
ProcessExecutor.run_async), on a small on-disk store.

Embedded only: worker processes exist for the on-disk store (on a server the engine
runs the queries, api/sparql/remote.py, covered by tests/api/test_sparql.py).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.sparql import pool
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


def test_a_worker_reopens_after_the_store_was_compacted(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compaction (no write, so no new generation) replaces the table files: the worker's
    next job opens a fresh view instead of reading the old files for good."""
    monkeypatch.setattr(pool, "FILES_CHECK_INTERVAL", 0.0)
    opened: list[str] = []
    real_open = pool._open_read_only

    def counting_open(path: str) -> ox.Store:
        opened.append(path)
        return real_open(path)

    monkeypatch.setattr(pool, "_open_read_only", counting_open)
    ours, theirs = multiprocessing.Pipe()
    worker = threading.Thread(target=pool._worker_main, args=(theirs, str(store_dir)))
    worker.start()
    try:

        def ask() -> object:
            ours.send((0, _count()))
            status, answer = ours.recv()
            assert status == "ok"
            return answer.body

        first = ask()
        assert ask() == first
        assert len(opened) == 1  # same files, same generation: the view is kept
        before = pool.table_files(str(store_dir))
        writer = ox.Store(str(store_dir))
        for k in range(60, 120):  # a second table file, then compaction merges them
            writer.add(
                ox.Quad(ox.NamedNode(f"http://e/{k}"), ox.NamedNode("http://e/q"), ox.Literal(k))
            )
        writer.flush()
        writer.optimize()
        del writer
        assert pool.table_files(str(store_dir)) != before
        assert ask() == first  # the count of http://e/p is unchanged
        assert len(opened) == 2
    finally:
        ours.close()
        worker.join(timeout=10)
    assert not worker.is_alive()


def test_run_async_waits_on_uvloop_too(executor: ProcessExecutor) -> None:
    """uvicorn runs on uvloop when it is installed (uvicorn[standard]): the pipe's reader is
    registered on that loop as on asyncio's, and a timed-out worker is still replaced."""
    uvloop = pytest.importorskip("uvloop")

    async def ask() -> tuple[bytes, bool]:
        answer = await executor.run_async(_count())
        before = executor.pids()
        with pytest.raises(QueryTimeout):
            await executor.run_async(QueryJob(SLOW, CSV))
        return answer.body, executor.pids() != before

    assert uvloop.run(ask()) == (b"n\r\n60\r\n", True)


def test_an_answer_larger_than_the_pipe_buffer_arrives_whole_on_uvloop(
    executor: ProcessExecutor,
) -> None:
    """Regression: uvloop's add_reader left the pipe non-blocking, so reading an answer
    larger than the socket buffer failed with BlockingIOError (a 503, "a query worker
    stopped unexpectedly"), on the loop and afterwards in run() too."""
    uvloop = pytest.importorskip("uvloop")
    big = QueryJob("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 9000", CSV)

    async def ask() -> bytes:
        return (await executor.run_async(big)).body

    body = uvloop.run(ask())
    assert len(body) > 500_000 and body.count(b"\r\n") == 9_001
    assert executor.run(big).body == body
