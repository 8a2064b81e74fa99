"""Where queries run, with a time limit: killable worker processes or threads.

pyoxigraph cannot interrupt a running query, and a native call in a thread
cannot be stopped. For an on-disk store, queries therefore run in a small pool
of worker processes that each open the store read-only; a query past the limit
gets its worker killed and replaced, and answers 503, while other workers keep
serving. A read-only opener sees the store as it was when opened, so writes
bump a generation number and each worker reopens the store before its next job
when its generation is stale; writes and reads never overlap (a reader-writer
lock), because pyoxigraph leaves reading during another process's write
undefined. A worker also reopens when the store's table files changed: the
writer's RocksDB compacts in the background (after a bulk load, for minutes),
and a view opened before that keeps reading the uncompacted files, about twice
as slowly at 100k incidents (docs/performance.md).

The in-memory store cannot be shared with another process: its queries run in
threads, and a query past the limit answers 503 but keeps its thread busy until
it finishes (documented in docs/sparql.md).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Protocol

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from api.sparql.execute import QueryAnswer, QueryJob, run_query
from graph.errors import HarmgraphError, Overloaded, QueryTimeout, StoreError


class QueryExecutor(Protocol):
    """Runs query jobs within the configured time limit."""

    def run(self, job: QueryJob) -> QueryAnswer:
        """Answer ``job`` or raise QueryTimeout / Overloaded / the query's own error."""

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold off queries while the caller writes; later queries see the write."""
        yield

    def close(self) -> None:
        """Stop the workers."""


def _timeout(limit: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query ran longer than the limit of {limit:g} s and was stopped",
        limit_seconds=limit,
    )


class ThreadExecutor:
    """Queries on an in-memory store, in threads (a timed-out query keeps running)."""

    def __init__(self, store: ox.Store, timeout: float, workers: int) -> None:
        self.store, self.timeout = store, timeout
        self._pool = ThreadPoolExecutor(max_workers=max(workers, 1) * 2, thread_name_prefix="q")

    def run(self, job: QueryJob) -> QueryAnswer:
        future = self._pool.submit(run_query, self.store, job)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            # A job still waiting for a thread is dropped: the client has its 503, and
            # running it later would only delay the queries behind it.
            future.cancel()
            raise _timeout(self.timeout) from None

    @contextmanager
    def writing(self) -> Iterator[None]:
        yield  # the in-memory store isolates concurrent readers and writers itself

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _unwrap(reply: tuple[str, Any]) -> QueryAnswer:
    """A worker's reply: the answer, or its error raised."""
    status, payload = reply
    if status == "error":
        raise payload
    if status == "crash":
        raise RuntimeError(f"query worker failed: {payload}")
    answer: QueryAnswer = payload
    return answer


async def _readable(conn: Connection, timeout: float) -> bool:
    """Wait on the event loop until ``conn`` has data (or its other end closed)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # uvloop's add_reader leaves the descriptor non-blocking (asyncio's does not), and
        # recv() must then wait for the rest of a large answer instead of failing with
        # EAGAIN (BlockingIOError), on the loop and in run() alike.
        os.set_blocking(fd, True)
    return True


#: Times a worker opens a fresh read-only view and retries after a storage error.
READ_ATTEMPTS = 5
#: Seconds before the first retry; doubled for each further one (0.3 s in all).
RETRY_BACKOFF = 0.02
#: Seconds between a worker's looks at which table files the store has (a listing: 70 us).
FILES_CHECK_INTERVAL = 1.0


def table_files(path: str) -> frozenset[str]:
    """The names of a store directory's RocksDB table files; compaction replaces them.

    >>> table_files("/nonexistent")
    frozenset()
    """
    try:
        return frozenset(name for name in os.listdir(path) if name.endswith(".sst"))
    except OSError:
        return frozenset()


def _worker_main(conn: Connection, path: str) -> None:
    """A worker process: answer (generation, job) messages until the pipe closes."""
    store: ox.Store | None = None
    opened, files, checked = -1, frozenset[str](), time.monotonic()
    while True:
        try:
            generation, job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if store is not None and time.monotonic() - checked >= FILES_CHECK_INTERVAL:
            checked = time.monotonic()
            if table_files(path) != files:
                store = None  # compacted since we opened: read the new files
        reply: tuple[str, Any] = ("crash", "no attempt was made")
        for attempt in range(READ_ATTEMPTS):
            if attempt:
                time.sleep(RETRY_BACKOFF * 2 ** (attempt - 1))  # let a compaction finish
            try:
                if store is None or generation != opened:
                    files, checked = table_files(path), time.monotonic()
                    store, opened = _open_read_only(path), generation
                reply = ("ok", run_query(store, job))
            except StoreError as err:
                # The writer compacts in the background, after our lock is released, and
                # deletes files a read-only view opened earlier still lists: look again.
                store, reply = None, ("error", err)
                continue
            except HarmgraphError as err:
                reply = ("error", err)
            except Exception as err:  # noqa: BLE001 - reported to the parent, which logs a 500
                reply = ("crash", f"{type(err).__name__}: {err}")
            break
        conn.send(reply)


def _open_read_only(path: str) -> ox.Store:
    try:
        return ox.Store.read_only(path)
    except (OSError, RuntimeError) as err:
        raise StoreError(f"cannot open the store read-only: {err}") from None


class _ReadWriteLock:
    """Many readers or one writer."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writer)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def try_reading(self) -> bool:
        """Start reading unless a writer holds or waits for the lock (never blocks)."""
        with self._cond:
            if self._writer:
                return False
            self._readers += 1
            return True

    def done_reading(self) -> None:
        """End a read started by :meth:`try_reading`."""
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writer)
            self._writer = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class _Worker:
    def __init__(self, path: str) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a threaded server
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, path), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()


class ProcessExecutor:
    """Queries on an on-disk store, in worker processes killed at the time limit."""

    def __init__(self, path: str, timeout: float, workers: int) -> None:
        self.path, self.timeout = path, timeout
        self._generation = 0
        self._lock = _ReadWriteLock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        for _ in range(max(workers, 1)):
            self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self.path)
        self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.stop()
        self._spawn()

    def pids(self) -> list[int | None]:
        """Process ids of the current workers (tests check that a worker was replaced)."""
        return [w.process.pid for w in self._all]

    def run(self, job: QueryJob) -> QueryAnswer:
        with self._lock.reading():
            try:
                worker = self._idle.get(timeout=self.timeout)
            except queue.Empty:
                raise Overloaded("all query workers are busy; try again later") from None
            try:
                worker.conn.send((self._generation, job))
                if not worker.conn.poll(self.timeout):
                    self._replace(worker)
                    raise _timeout(self.timeout)
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                self._replace(worker)
                raise StoreError("a query worker stopped unexpectedly") from None
            self._idle.put(worker)
        return _unwrap((status, payload))

    async def run_async(self, job: QueryJob) -> QueryAnswer:
        """:meth:`run` from the event loop, without a hop through the thread pool.

        On a loaded machine every hop between threads and processes waits for the
        scheduler: the loop hands the job straight to an idle worker's pipe and waits for
        the pipe to become readable, which saves two of the five wake-ups a query costs.
        When no worker is idle or a write holds the lock, :meth:`run` waits in a thread.
        """
        if not self._lock.try_reading():
            return await run_in_threadpool(self.run, job)
        try:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = None
            if worker is not None:
                return _unwrap(await self._ask(worker, job))
        finally:
            self._lock.done_reading()
        return await run_in_threadpool(self.run, job)

    async def _ask(self, worker: _Worker, job: QueryJob) -> tuple[str, Any]:
        try:
            worker.conn.send((self._generation, job))
            if not await _readable(worker.conn, self.timeout):
                self._replace(worker)
                raise _timeout(self.timeout)
            reply: tuple[str, Any] = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise StoreError("a query worker stopped unexpectedly") from None
        except asyncio.CancelledError:  # its answer would reach the next job: start afresh
            self._replace(worker)
            raise
        self._idle.put(worker)
        return reply

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._lock.writing():
            try:
                yield
            finally:
                self._generation += 1

    def close(self) -> None:
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
