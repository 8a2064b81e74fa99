"""cProfile summaries of the paths whose targets the suite misses (py-spy is not installed).

    python -m bench.profile write  --incidents 1000    # single validated writes
    python -m bench.profile import --incidents 1000    # harmgraph import's fast path (a file)
    python -m bench.profile import --bulk --incidents 10000    # the same, as --bulk
    python -m bench.profile import-phases --incidents 100000  # wall time per step, no profiler
    python -m bench.profile import-reference --incidents 1000  # rdflib parse + import_graph
    python -m bench.profile validate-store --incidents 1000  # graph.quality.validate_store
    python -m bench.profile query  --incidents 10000   # where an HTTP query's time goes

``write`` and ``import`` print the top functions by cumulative time. ``query`` splits one
harmgraph request into its parts: the query evaluated and serialised in-process
(``api.sparql.execute.run_query``, what a worker does), the same through a query worker
process (``ProcessExecutor``: pickling over a pipe), and the whole HTTP round trip (uvicorn,
FastAPI, thread pool, worker); the Oxigraph server's round trip is the reference.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from api.sparql.execute import QueryJob, run_query
from api.sparql.pool import ProcessExecutor
from bench.endpoint import _ask, servers
from bench.load import BENCH_GRAPH
from bench.measure import ROOT
from bench.queries import load_mix
from bench.run import cached, prepare
from graph import io as rdf_io
from graph.ingest import import_graph
from graph.ingest_fast import import_files
from graph.registry import get_registry
from graph.store import Store
from graph.validation import get_validator


def _top(profile: cProfile.Profile, limit: int) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def profile_import(
    data: Path, store_dir: Path, limit: int, *, fast: bool = True, bulk: bool = False
) -> str:
    """Profile one import of the file ``data`` into a new on-disk store, parse included.

    ``fast``: :func:`graph.ingest_fast.import_files` (what ``harmgraph import`` runs;
    ``bulk``: as ``--bulk``); otherwise the reference path, :func:`graph.io.parse` then
    :func:`import_graph`.
    """
    validator = get_validator()
    get_registry()
    store = Store.open(str(store_dir))
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    if fast:
        import_files(store, [data], graph_name="bench", source="x", validator=validator, bulk=bulk)
    else:
        parsed = rdf_io.parse(data)
        import_graph(store, parsed, graph_name="bench", source="x", validator=validator)
    profile.disable()
    seconds = time.perf_counter() - start
    store.close()
    return f"{seconds:.1f} s (under the profiler)\n" + _top(profile, limit)


def import_phases(data: Path, store_dir: Path, *, bulk: bool = False) -> str:
    """Wall-clock seconds of each step of one fast import of ``data`` (no profiler: timers
    wrapped around the steps of :mod:`graph.ingest_fast`), into a new on-disk store."""
    from graph import gate_dataset, gate_sparql, ingest_fast, staging

    times: dict[str, float] = {}
    steps = [
        (ingest_fast, "load_files", "parse"),
        (staging.Staging, "normalise", "normalise"),
        (ingest_fast, "resolve", "resolution"),
        (ingest_fast, "_add_context", "store context"),
        (ingest_fast, "_add_concepts", "concepts"),
        (gate_sparql.SparqlGate, "has_violation", "gate (generic)"),
        (gate_dataset.DatasetGate, "has_violation", "gate (dataset)"),
        (ingest_fast, "_write", "write"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in steps]

    def timed(function: Any, label: str) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                times[label] = times.get(label, 0.0) + time.perf_counter() - start

        return run

    validator = get_validator()
    get_registry()
    store = Store.open(str(store_dir))
    for (owner, name, label), (_, _, function) in zip(steps, originals, strict=True):
        setattr(owner, name, timed(function, label))
    start = time.perf_counter()
    try:
        import_files(store, [data], graph_name="bench", source="x", validator=validator, bulk=bulk)
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
    total = time.perf_counter() - start
    store.close()
    lines = [f"{label:16s} {seconds:7.1f} s" for label, seconds in times.items()]
    lines.append(f"{'rest':16s} {total - sum(times.values()):7.1f} s")
    return "\n".join([*lines, f"{'total':16s} {total:7.1f} s"]) + "\n"


def profile_writes(data: Path, extra: Path, limit: int) -> str:
    """Profile single-incident writes into a store that holds ``data``."""
    validator = get_validator()
    store = Store.open("memory")
    store.ox.load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=BENCH_GRAPH)
    writes = [rdf_io.parse(f) for f in sorted(extra.glob("*.nt"))]
    import_graph(store, writes[0], graph_name="bench", source="w", validator=validator)
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for data_graph in writes[1:]:
        import_graph(store, data_graph, graph_name="bench", source="w", validator=validator)
    profile.disable()
    per_write = 1000 * (time.perf_counter() - start) / (len(writes) - 1)
    return f"{per_write:.0f} ms per write (under the profiler)\n" + _top(profile, limit)


def profile_validate_store(data: Path, limit: int) -> str:
    """Profile graph.quality.validate_store over a store holding ``data``."""
    from graph.quality import validate_store

    store = Store.open("memory")
    store.ox.load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=BENCH_GRAPH)
    validator = get_validator()
    profile = cProfile.Profile()
    profile.enable()
    validate_store(store, validator)
    profile.disable()
    return _top(profile, limit)


def split_query(workdir: Path, data: Path, reps: int) -> str:
    """Per query: in-process run_query vs harmgraph HTTP vs Oxigraph HTTP, median ms."""
    mix = load_mix()
    lines = [
        f"{'query (median ms)':45s} {'in-process':>10s} {'+worker':>8s} {'+HTTP':>8s}"
        f" {'oxigraph':>9s}"
    ]
    store = ox.Store.read_only(str(workdir / "harmgraph-store"))
    local = {}
    for query in mix:
        job = QueryJob(query.text, query.accept)
        samples = []
        for _ in range(reps):
            start = time.perf_counter()
            run_query(store, job)
            samples.append(1000 * (time.perf_counter() - start))
        local[query.name] = statistics.median(samples)
    del store
    executor = ProcessExecutor(str(workdir / "harmgraph-store"), 600, 1)
    piped = {}
    for query in mix:
        job = QueryJob(query.text, query.accept)
        executor.run(job)
        samples = []
        for _ in range(reps):
            start = time.perf_counter()
            executor.run(job)
            samples.append(1000 * (time.perf_counter() - start))
        piped[query.name] = statistics.median(samples)
    executor.close()
    with servers(workdir, data, ("harmgraph", "oxigraph")) as running, httpx.Client() as client:
        for query in mix:
            medians = []
            for server in running:
                _ask(client, server, query)
                medians.append(
                    statistics.median(1000 * _ask(client, server, query)[0] for _ in range(reps))
                )
            lines.append(
                f"{query.name:45s} {local[query.name]:10.1f} {piped[query.name]:8.1f}"
                f" {medians[0]:8.1f} {medians[1]:9.1f}"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Generate data of ``--incidents`` and profile the chosen path."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "target",
        choices=("write", "import", "import-phases", "import-reference", "validate-store", "query"),
    )
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=25)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--bulk", action="store_true", help="import: as harmgraph import --bulk")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="harmgraph-profile-") as tmp:
        workdir = Path(tmp)
        if args.target.startswith("import"):  # the bench's cached data file suffices
            data, _ = cached(args.incidents, args.seed, ROOT / "bench" / "out" / "data")
        else:
            data, _ = prepare(args.incidents, args.seed, workdir)
        if args.target == "import-phases":
            print(import_phases(data, workdir / "import-store", bulk=args.bulk))
            return 0
        if args.target in ("import", "import-reference"):
            fast = args.target == "import"
            print(
                profile_import(
                    data, workdir / "import-store", args.limit, fast=fast, bulk=args.bulk
                )
            )
            return 0
        elif args.target == "validate-store":
            print(profile_validate_store(data, args.limit))
        elif args.target == "write":
            print(profile_writes(data, workdir / "data-extra", args.limit))
        else:
            # The same quads in both stores (the data in a named graph; both servers query
            # the union of the graphs, as bench.endpoint runs them).
            for name in ("harmgraph", "oxigraph"):
                store = ox.Store(str(workdir / f"{name}-store"))
                store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=BENCH_GRAPH)
                store.flush()
                del store
            print(split_query(workdir, data, args.reps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
