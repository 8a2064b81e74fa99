"""The data-quality report computed in a child process (api/quality_process.py), on an
on-disk store with one complete incident and one with Warnings (the files of
tests/graph/quality_data.py).

Only the embedded on-disk store has a child process (it opens the store's directory
read-only); a store it cannot open, in memory or on a server, is validated in the
thread on each backend (tests/backends.py).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
from rdflib import Graph

import graph.quality
from api.quality import validating
from api.quality_process import _exit_with_parent, validating_apart
from graph import model
from graph.settings import PROJECT_ROOT, Settings
from graph.store import Store
from graph.terms import to_quads
from tests.backends import fresh_store
from tests.processes import popen

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent
SETTINGS = Settings(store="memory")


class Stop(Exception):
    """Raised by a progress callback to cancel the computation."""


def _store(path: Path) -> Store:
    store = _filled(Store.open(path))
    store.ox.flush()
    return store


def _filled(store: Store) -> Store:
    files = [
        (p, model.VOCAB_GRAPH) for p in sorted((PROJECT_ROOT / "data" / "vocab").glob("*.ttl"))
    ]
    files.append(
        (DATA / "shapes" / "valid" / "inc-26-0068-complete.ttl", model.named_graph("curated"))
    )
    files.append((DATA / "quality" / "warned-incident.ttl", model.named_graph("aiid")))
    for file, name in files:
        store.extend(to_quads(Graph().parse(file, format="turtle"), ox.NamedNode(str(name))))
    return store


def test_the_child_gives_the_summary_the_thread_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _store(tmp_path / "store") as store:
        expected = validating(SETTINGS)(store, lambda done, total: None)
        seen: list[tuple[int, int]] = []

        def nowhere(*args: object) -> None:
            raise AssertionError("validated in the server process")

        # The spawned child imports graph.quality afresh: only this process is patched.
        monkeypatch.setattr(graph.quality, "validate_store", nowhere)
        summary = validating_apart(SETTINGS)(store, lambda done, total: seen.append((done, total)))
    assert summary.incidents == expected.incidents == 2
    assert summary.by_severity == expected.by_severity
    assert summary.complete == expected.complete == 1
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_a_progress_callback_that_raises_stops_the_child(tmp_path: Path) -> None:
    def cancel(done: int, total: int) -> None:
        raise Stop

    with _store(tmp_path / "store") as store, pytest.raises(Stop):
        validating_apart(SETTINGS)(store, cancel)


@pytest.mark.usefixtures("backend")
def test_an_in_memory_or_remote_store_is_validated_in_the_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_child(*args: object) -> None:
        raise AssertionError("this store is not a directory another process can open")

    monkeypatch.setattr("api.quality_process._in_child", no_child)
    summary = validating_apart(SETTINGS)(_filled(fresh_store()), lambda done, total: None)
    assert (summary.incidents, summary.complete) == (2, 1)


def orphan_candidate() -> None:
    """A quality child's start (watch the parent), then a wait that never ends by itself."""
    _exit_with_parent()
    threading.Event().wait()


def test_the_child_exits_when_the_server_process_is_killed() -> None:
    # A killed server left its niced validation running for minutes (orphaned children
    # seen after a benchmark run): the child now watches its parent's sentinel.
    script = (
        "import multiprocessing as mp\n"
        "from tests.api.test_quality_process import orphan_candidate\n"
        "if __name__ == '__main__':\n"
        "    child = mp.get_context('spawn').Process(target=orphan_candidate, daemon=True)\n"
        "    child.start()\n"
        "    print(child.pid, flush=True)\n"
        "    child.join()\n"
    )
    server = popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    child = psutil.Process(int(server.stdout.readline()))
    server.kill()
    server.wait()
    child.wait(timeout=30)  # raises psutil.TimeoutExpired if the child outlives its parent
