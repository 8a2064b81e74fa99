"""Tests of graph/ingest_swap.py: a first import swapped in is all or nothing.

The staged quads and their provenance land in the store with what it held, through a
copy of the store exchanged with it; every way the swap can fail (the exchange refused,
the load into the copy failing, a handle still holding the store) leaves the store as it
was, with no copy left beside it.
"""

from __future__ import annotations

import errno
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import write_files
from graph import ingest_fast, ingest_swap
from graph.errors import StoreError
from graph.ingest_fast import import_files
from graph.ingest_swap import swap_in
from graph.store import Store
from graph.validation import get_validator

ROOT = Path(__file__).resolve().parents[2]
G = ox.NamedNode("urn:x-test:incoming")
META = ox.NamedNode("urn:x-test:meta")
OLD = ox.Quad(ox.NamedNode("urn:x-test:a"), ox.NamedNode("urn:x-test:p"), ox.Literal("old"))


def _staged(n: int = 50) -> ox.Store:
    staged = ox.Store()
    p = ox.NamedNode("urn:x-test:p")
    staged.extend(
        ox.Quad(ox.NamedNode(f"urn:x-test:s{k}"), p, ox.Literal(str(k)), G) for k in range(n)
    )
    return staged


def _meta() -> list[ox.Quad]:
    return [ox.Quad(G, ox.NamedNode("urn:x-test:count"), ox.Literal("50"), META)]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(str(tmp_path / "store"))
    s.ox.add(OLD)
    return s


def _siblings(store: Store) -> list[str]:
    return sorted(p.name for p in Path(store.location).parent.iterdir())


def test_the_staged_graph_and_provenance_join_what_the_store_held(store: Store) -> None:
    assert swap_in(store, _staged(), G, _meta()) is True
    assert set(store.ox) == {OLD, *_staged(), *_meta()}
    assert _siblings(store) == ["store"]  # the old content removed, no copy left
    store.close()
    with Store.open(store.location) as again:  # durable: a new handle sees it
        assert len(again.ox) == 52


def test_an_in_memory_store_is_not_swapped() -> None:
    memory = Store.open("memory")
    assert swap_in(memory, _staged(), G, _meta()) is False
    assert len(memory.ox) == 0


def test_a_refused_exchange_writes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(a: Path, b: Path) -> None:
        raise OSError(errno.EINVAL, "not supported here")

    monkeypatch.setattr(ingest_swap, "_renameat2", lambda: refuse)
    assert swap_in(store, _staged(), G, _meta()) is False
    assert set(store.ox) == {OLD}  # reopened, unchanged
    assert _siblings(store) == ["store"]


def test_a_failing_load_into_the_copy_writes_nothing(store: Store) -> None:
    class Broken:
        def dump(self, **kwargs: object) -> bytes:
            raise OSError(errno.ENOSPC, "no space left on device")

    assert swap_in(store, Broken(), G, _meta()) is False  # type: ignore[arg-type]
    assert set(store.ox) == {OLD}
    assert _siblings(store) == ["store"]


def test_a_handle_still_open_stops_the_swap_before_the_exchange(store: Store) -> None:
    held = store.ox.quads_for_pattern(None, None, None)  # keeps the database open
    with pytest.raises(StoreError):  # it cannot be reopened while that handle lives
        swap_in(store, _staged(), G, _meta())
    del held
    assert _siblings(store) == ["store"]
    with Store.open(store.location) as again:
        assert set(again.ox) == {OLD}


def test_a_large_first_import_on_disk_is_swapped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    swaps: list[bool] = []

    def spy(*args: object) -> bool:
        swaps.append(swap_in(*args))  # type: ignore[arg-type]
        return swaps[-1]

    monkeypatch.setattr(ingest_fast, "swap_in", spy)
    data = tmp_path / "bench.nt"
    write_files(data, 20, seed=5)
    store = Store.open(str(tmp_path / "store"))
    kwargs = {"graph_name": "bench", "source": "x", "validator": get_validator()}
    monkeypatch.setattr(ingest_fast, "SWAP_MIN", 10**9)
    import_files(store, [data], **kwargs)  # type: ignore[arg-type]
    assert swaps == []  # small: one transaction
    store.close()
    store = Store.open(str(tmp_path / "other"))
    monkeypatch.setattr(ingest_fast, "SWAP_MIN", 0)
    summary = import_files(store, [data], **kwargs)  # type: ignore[arg-type]
    assert swaps == [True]
    assert store.count(str(summary.graph)) == summary.triples
    store.close()


_DRIVER = """
import sys
import pyoxigraph as ox
from graph.ingest_swap import swap_in
from graph.store import Store

store = Store.open(sys.argv[1])
g, p = ox.NamedNode("urn:x-test:incoming"), ox.NamedNode("urn:x-test:p")
staged = ox.Store()
staged.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x-test:s{k}"), p, ox.Literal(str(k)), g)
                   for k in range(int(sys.argv[2])))
meta = [ox.Quad(g, ox.NamedNode("urn:x-test:count"), ox.Literal("n"), ox.NamedNode("urn:x-test:m"))]
print("SWAP", flush=True)
assert swap_in(store, staged, g, meta)
print("DONE", flush=True)
"""


@pytest.mark.slow
def test_a_swap_killed_anywhere_leaves_the_store_before_or_after(tmp_path: Path) -> None:
    """SIGKILL at seeded moments of the swap: the store opens with its old quads or with
    the old and all the new ones, never part of them."""
    n = 100_000
    base = tmp_path / "base"
    with Store.open(str(base)) as store:
        store.ox.add(OLD)

    def run(location: Path, delay: float | None) -> float:
        shutil.copytree(base, location)
        command = [sys.executable, "-c", _DRIVER, str(location), str(n)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "SWAP"
        started = time.monotonic()
        if delay is None:
            assert process.stdout.readline().strip() == "DONE"
            process.wait(timeout=60)
        else:
            time.sleep(delay)
            process.kill()
            process.wait(timeout=60)
        return time.monotonic() - started

    took = run(tmp_path / "complete", None)
    seeded = random.Random(6)  # noqa: S311 - seeded kill moments, not secrets
    for k in range(6):
        location = tmp_path / f"killed-{k}"
        run(location, seeded.uniform(0, took))
        with Store.open(str(location)) as store:
            size = len(store.ox)
        assert size in (1, n + 2)
    with Store.open(str(tmp_path / "complete")) as store:
        assert len(store.ox) == n + 2


def test_what_is_swapped_in_is_compacted(store: Store) -> None:
    """The bulk loader leaves several table files that a read-only view would read as they
    are: the copy is compacted before the exchange, so compacting again changes nothing."""
    assert swap_in(store, _staged(40_000), G, _meta()) is True
    files = sorted(p.name for p in Path(store.location).glob("*.sst"))
    store.ox.optimize()
    assert sorted(p.name for p in Path(store.location).glob("*.sst")) == files
