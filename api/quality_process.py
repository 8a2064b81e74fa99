"""The data-quality report computed in a child process, away from the requests.

Validating a whole store is minutes of pure-Python work at 10,000 incidents
(pyshacl over rdflib graphs). In a thread of the server process it holds the
GIL for all that time, and every request then waits for it: each hop between
the event loop and the thread pool costs up to the interpreter's switch
interval (5 ms), and the computation takes one of the machine's cores from the
query workers. For an on-disk store it therefore runs in a spawned process at
the lowest CPU priority (``nice`` 19), which opens the store read-only (as the
query workers do) and sends its progress and the summary back over a pipe.

An in-memory store cannot be opened from another process, and a remote store's
reads are network-bound: both keep the thread (:func:`api.quality.validating`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection, wait
from typing import Any

import pyoxigraph as ox

from api.quality import Compute, Progress, validating
from graph.errors import HarmgraphError, StoreError
from graph.quality import QualitySummary, quality_summary, validate_store
from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import Store
from graph.validation import get_validator

#: Times the child reopens the store and starts again after a storage error (a writer's
#: compaction deleting files its read-only view still lists).
ATTEMPTS = 3
#: The child's niceness: it yields the CPU to anything else that wants it.
NICENESS = 19


def validating_apart(settings: Settings) -> Compute:
    """Like :func:`api.quality.validating`, but in a low-priority child process when it can."""
    in_thread = validating(settings)

    def compute(store: Store, progress: Progress) -> QualitySummary:
        if isinstance(store, RemoteStore) or store.location == "memory":
            return in_thread(store, progress)
        return _in_child(store.location, settings, progress)

    return compute


def _in_child(location: str, settings: Settings, progress: Progress) -> QualitySummary:
    ctx = multiprocessing.get_context("spawn")  # never fork a threaded server
    conn, child_end = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child_main,
        args=(child_end, location, settings),
        name="harmgraph-quality",
        daemon=True,
    )
    child.start()
    child_end.close()
    try:
        while True:
            try:
                kind, *payload = conn.recv()
            except EOFError:
                child.join(5)
                raise HarmgraphError(
                    f"the data-quality process stopped (exit code {child.exitcode})"
                ) from None
            if kind == "progress":
                progress(*payload)  # raises to cancel: the finally clause stops the child
            elif kind == "done":
                summary: QualitySummary = payload[0]
                return summary
            else:
                raise HarmgraphError(payload[0])
    finally:
        conn.close()
        if child.is_alive():
            child.kill()
        child.join()


def _child_main(conn: Connection, location: str, settings: Settings) -> None:
    """The child: validate the store read-only and send ("progress", done, total) messages,
    then ("done", summary) or ("error", message)."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    _exit_with_parent()
    message: tuple[Any, ...] = ("error", "no attempt was made")
    for _attempt in range(ATTEMPTS):
        try:
            store = Store(_read_only(location), location)
            report = validate_store(
                store,
                get_validator(settings),
                lambda done, total: conn.send(("progress", done, total)),
            )
            message = ("done", quality_summary(store, report))
            break
        except StoreError as err:
            message = ("error", str(err))
        except (OSError, RuntimeError) as err:  # RocksDB's errors while reading
            message = ("error", f"the store could not be read: {err}")
        except HarmgraphError as err:
            message = ("error", str(err))
            break
    conn.send(message)
    conn.close()


def _exit_with_parent() -> None:
    """Exit as soon as the server process is gone, however it ended (a killed server must
    not leave minutes of validation running)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _read_only(location: str) -> ox.Store:
    try:
        return ox.Store.read_only(location)
    except (OSError, RuntimeError) as err:
        raise StoreError(f"cannot open the store read-only: {err}") from None
