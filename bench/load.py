"""Load phase: the same N-Triples file into harmgraph, Oxigraph and rdflib.

* ``harmgraph``: the CLI, ``harmgraph import --store DIR FILE`` (parse, SHACL validation of
  every incoming incident, one atomic write), into a fresh on-disk store; then the same with
  ``--bulk`` (pyoxigraph's bulk loader writes it: not one transaction), reported as
  ``harmgraph_bulk`` and its store removed.
* ``oxigraph``: ``oxigraph load --location DIR --file FILE --graph G`` (the native limit:
  parsing and bulk loading in Rust, no validation), into a fresh on-disk store, into the same
  named graph ``harmgraph import --graph bench`` writes, so both stores hold the same quads.
* ``rdflib``: ``rdflib.Graph().parse(FILE)`` in a fresh interpreter (the Python baseline).

Each runs as its own process, so its peak RSS is its own (:func:`bench.measure.run`). The
two stores are kept for the endpoint phase.

    python -m bench.load rdflib FILE     # the rdflib task: prints {"triples": n}
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.measure import BIN, PYTHON, run
from graph.model import named_graph

#: The named graph ``harmgraph import --graph bench`` writes.
BENCH_GRAPH = ox.NamedNode(str(named_graph("bench")))

LOADERS = ("harmgraph", "oxigraph", "rdflib")


def load_all(
    data: Path,
    workdir: Path,
    triples: int,
    timeout: float,
    import_timeout: float,
    loaders: tuple[str, ...] = LOADERS,
) -> dict[str, dict[str, Any]]:
    """Load ``data`` with every loader; per loader seconds, triples/s and peak MiB.

    The stores are left in ``workdir/{harmgraph,oxigraph}-store``. A ``harmgraph import``
    still running after ``import_timeout`` seconds is stopped and reported as
    ``timed_out`` (its triples/s is then an upper bound); the harmgraph store is then
    filled without validation (:func:`fill`) so the other phases can run.
    """
    results: dict[str, dict[str, Any]] = {}
    for name in loaders:
        store = workdir / f"{name}-store"
        shutil.rmtree(store, ignore_errors=True)
        limit = timeout
        if name == "harmgraph":
            cmd = [str(BIN / "harmgraph"), "import", "--store", str(store), "--graph", "bench"]
            cmd.append(str(data))
            limit = import_timeout
        elif name == "oxigraph":
            cmd = [str(BIN / "oxigraph"), "load", "--location", str(store), "--file", str(data)]
            cmd += ["--graph", BENCH_GRAPH.value]
        else:
            cmd = [PYTHON, "-m", "bench.load", "rdflib", str(data)]
        measured = run(cmd, timeout=limit)
        timed_out = measured.seconds >= limit
        if measured.returncode != 0 and not timed_out:
            raise RuntimeError(f"{name} load failed: {measured.stderr[-2000:]}")
        results[name] = {
            "seconds": measured.seconds,
            "triples_per_s": triples / measured.seconds,
            "peak_mb": measured.peak_mb,
            "timed_out": timed_out,
        }
        if timed_out and name == "harmgraph":
            shutil.rmtree(store, ignore_errors=True)
            fill(store, data)
        if name == "harmgraph":
            results["harmgraph_bulk"] = _bulk_import(data, workdir, triples, import_timeout)
    return results


def _bulk_import(data: Path, workdir: Path, triples: int, limit: float) -> dict[str, Any]:
    """``harmgraph import --bulk`` of ``data`` into a store removed afterwards."""
    store = workdir / "harmgraph-bulk-store"
    shutil.rmtree(store, ignore_errors=True)
    cmd = [str(BIN / "harmgraph"), "import", "--bulk", "--store", str(store), "--graph", "bench"]
    measured = run([*cmd, str(data)], timeout=limit)
    shutil.rmtree(store, ignore_errors=True)
    timed_out = measured.seconds >= limit
    if measured.returncode != 0 and not timed_out:
        raise RuntimeError(f"harmgraph --bulk load failed: {measured.stderr[-2000:]}")
    return {
        "seconds": measured.seconds,
        "triples_per_s": triples / measured.seconds,
        "peak_mb": measured.peak_mb,
        "timed_out": timed_out,
    }


def fill(store_dir: Path, data: Path) -> None:
    """Bulk-load ``data`` into the named graph ``bench`` of a new store, unvalidated, compacted.

    Compacted as a served store soon is (a read-write open compacts in the background):
    a store the bench then opens read-only would otherwise be read uncompacted, about
    20% more CPU for full-store validation and twice the time of a heavy query at 100k
    incidents (docs/performance.md). 11 s at 100k.
    """
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=BENCH_GRAPH)
    store.flush()
    store.optimize()


def _rdflib_parse(path: str) -> None:
    from rdflib import Graph

    g = Graph()
    g.parse(path, format="nt")
    print(json.dumps({"triples": len(g)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["rdflib"]:
        _rdflib_parse(sys.argv[2])
    else:
        sys.exit("usage: python -m bench.load rdflib FILE")
