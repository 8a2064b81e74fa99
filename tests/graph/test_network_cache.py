"""NetworkCache (graph/network_build.py) on a store directory: the quad count, which reads the
whole store, is taken only when the directory's files changed; every write is still seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import model, network_build
from graph.network_build import NetworkCache, store_files
from graph.store import Store
from tests.graph.network_data import FIXTURE, ICE, PALANTIR, load

CURATED = str(model.named_graph("curated"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "store")
    load(store, FIXTURE, "curated")
    return store


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the cache asked for the store's generation."""
    calls: list[int] = []
    real = network_build.store_generation

    def counting(store: Store) -> network_build.Generation:
        calls.append(1)
        return real(store)

    monkeypatch.setattr(network_build, "store_generation", counting)
    return calls


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch) -> list[network_build.Files]:
    """What the cache is told the directory holds (the last entry): background flushes and
    compactions change the real files at moments a test cannot choose."""
    seen: list[network_build.Files] = [(("000001.log", 1, 1),)]
    monkeypatch.setattr(network_build, "store_files", lambda store: seen[-1])
    return seen


def test_an_unchanged_directory_is_not_counted_again(
    store: Store, counted: list[int], files: list[network_build.Files]
) -> None:
    cache = NetworkCache()
    first = cache.get(store)
    assert len(counted) == 1  # the build uses the generation the cache read
    assert cache.get(store) is first
    assert cache.get(store) is first
    assert len(counted) == 1


def test_changed_files_without_a_change_of_data_keep_the_network(
    store: Store, counted: list[int], files: list[network_build.Files]
) -> None:
    cache = NetworkCache()
    first = cache.get(store)
    files.append((("000002.sst", 7, 2), *files[-1]))  # a compaction
    assert cache.get(store) is first
    assert len(counted) == 2  # looked again ...
    assert cache.get(store) is first
    assert len(counted) == 2  # ... and remembered the files it saw


def test_every_write_changes_the_files(store: Store) -> None:
    before = store_files(store)
    store.update("INSERT DATA { <urn:a> <urn:p> <urn:o> }")
    inserted = store_files(store)
    store.update("DELETE DATA { <urn:a> <urn:p> <urn:o> }")
    assert before != inserted != store_files(store)


def test_every_write_is_seen(store: Store) -> None:
    cache = NetworkCache()
    first = cache.get(store)
    store.update(f"DROP GRAPH <{CURATED}>")
    emptied = cache.get(store)
    assert emptied is not first
    assert PALANTIR not in emptied.graph
    load(store, FIXTURE, "curated")
    refilled = cache.get(store)
    assert refilled is not emptied
    assert ICE in refilled.graph


def test_stores_in_memory_have_no_files() -> None:
    assert store_files(Store.open("memory")) is None
