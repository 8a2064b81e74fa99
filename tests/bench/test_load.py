"""bench/load.py: the store the benchmarks fill."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from bench.generate import write_files
from bench.load import BENCH_GRAPH, fill


def test_fill_loads_every_triple_into_the_bench_graph(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    written = write_files(data, 40, seed=7)
    fill(tmp_path / "store", data)
    store = ox.Store.read_only(str(tmp_path / "store"))
    in_graph = sum(1 for _ in store.quads_for_pattern(None, None, None, BENCH_GRAPH))
    assert in_graph == len(store) == written.triples
