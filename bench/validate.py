"""Validation phase: single validated writes, and full-store validation vs plain pyshacl.

Run as tasks in their own processes (peak RSS is then theirs), each printing one JSON line:

    python -m bench.validate writes --store DIR --extra DIR   # one import_graph per file
    python -m bench.validate store --store DIR --out FILE     # graph.quality.validate_store
    python -m bench.validate pyshacl --store DIR --out FILE   # pyshacl.validate, whole graph
    python -m bench.validate queries --store DIR              # CPU per compiled query

``writes`` times :func:`graph.ingest.import_graph` of one new incident at a time (parsed
beforehand; the first write, which builds the validator, is not counted). The two full-store
tasks write their results as sorted ``[focus, path, severity]`` triples to ``--out`` so the
caller can check that they are identical. ``store`` also prints the peak memory of its
largest worker process (``workers_peak_mb``; the caller measures the main process): an
upper bound, as Linux counts the parent's memory at the fork into a child's peak.
``queries`` runs the (merged) compiled queries of ``store`` one after another in this
process and prints the CPU time of each, largest first (``--count`` of them), and the total.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph
import pyshacl
from rdflib import Graph

from graph import io
from graph.ingest import import_graph
from graph.model import META_GRAPH, VOCAB_GRAPH
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.terms import from_ox
from graph.validation import get_validator

Result = tuple[str, str, str]


def single_writes(store_dir: Path, extra: Path, count: int | None = None) -> dict[str, object]:
    """Import each file of ``extra`` (one incident each; the first ``count``) into the store,
    timing each write."""
    files = sorted(extra.glob("*.nt"))[:count]
    parsed = [io.parse(f) for f in files]
    validator = get_validator()
    times = []
    with Store.open(store_dir) as store:
        for k, data in enumerate(parsed):
            start = time.perf_counter()
            import_graph(store, data, graph_name="bench", source=str(files[k]), validator=validator)
            if k:
                times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return {
        "writes": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))],
    }


def _union(store: Store) -> Graph:
    """The data graphs of the store (not provenance, not vocabularies) as one rdflib graph."""
    skip = (str(META_GRAPH), str(VOCAB_GRAPH))
    g = Graph()
    for q in store.ox.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, pyoxigraph.NamedNode) and q.graph_name.value in skip:
            continue
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def _read_only(store_dir: Path) -> Store:
    """The store opened read-only (never closed: a read-only view has nothing to flush), so
    the two full-store tasks may run at the same time."""
    return Store(pyoxigraph.Store.read_only(str(store_dir)), str(store_dir))


def harmgraph_store(store_dir: Path) -> tuple[float, list[Result]]:
    """``graph.quality.validate_store``: seconds and results."""
    from graph.quality import validate_store

    store = _read_only(store_dir)
    validator = get_validator()
    start = time.perf_counter()
    report = validate_store(store, validator)
    seconds = time.perf_counter() - start
    results = {(str(r.focus_node), str(r.path), r.severity) for r in report.results}
    return seconds, sorted(results)


def _children_peak_mb() -> float:
    """The largest peak RSS of the finished child processes (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def plain_pyshacl(store_dir: Path) -> tuple[float, list[Result]]:
    """``pyshacl.validate`` over the whole store plus the vocabularies: seconds and results."""
    shapes = Graph()
    for path in sorted((PROJECT_ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    start = time.perf_counter()
    data = _union(_read_only(store_dir))
    for path in sorted((PROJECT_ROOT / "data" / "vocab").glob("*.ttl")):
        data.parse(path, format="turtle")
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
    )
    seconds = time.perf_counter() - start
    sh = "http://www.w3.org/ns/shacl#"
    results = set()
    for q in report.query(
        f"SELECT ?f ?p ?s WHERE {{ ?r <{sh}focusNode> ?f ; <{sh}resultSeverity> ?s . "
        f"OPTIONAL {{ ?r <{sh}resultPath> ?p }} }}"
    ):
        f, p, s = q  # type: ignore[misc]
        results.add((str(f), str(p), str(s).removeprefix(sh)))
    return seconds, sorted(results)


def query_cpu(store_dir: Path) -> dict[str, object]:
    """CPU seconds of each query ``graph.quality.validate_store`` runs on the store."""
    from graph.report import short
    from graph.shacl_merge import merge_queries
    from graph.shacl_sparql import compile_shapes
    from graph.shacl_store import store_dataset

    store, validator = _read_only(store_dir), get_validator()
    dataset = store_dataset(store, validator)
    if dataset is None:
        raise SystemExit("the compiled queries do not apply to this store")
    compiled = compile_shapes(validator.shapes, dataset.facts)
    graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
    graphs = [pyoxigraph.NamedNode(g) for g in dataset.graphs]
    cpu = []
    for merged in merge_queries(compiled.queries):
        start = time.process_time()
        solutions = store.ox.query(merged.sparql, default_graph=graphs)
        assert isinstance(solutions, pyoxigraph.QuerySolutions)  # noqa: S101 - SELECTs
        rows = len(list(solutions))
        names = [compiled.queries[k] for k in merged.members]
        label = ", ".join(f"{short(q.shape)} {short(q.component)}" for q in names)
        cpu.append((time.process_time() - start, rows, label))
    cpu.sort(reverse=True)
    return {
        "queries": len(compiled.queries),
        "run": len(cpu),
        "cpu_s": round(sum(c[0] for c in cpu), 3),
        "largest": [[round(c, 3), rows, label] for c, rows, label in cpu],
    }


def main(argv: list[str] | None = None) -> int:
    """The task command line (see the module docstring)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=("writes", "store", "pyshacl", "queries"))
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--extra", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--count", type=int, help="writes (the first is a warm-up); queries shown")
    args = parser.parse_args(argv)
    if args.task == "writes":
        print(json.dumps(single_writes(args.store, args.extra, args.count)))
        return 0
    if args.task == "queries":
        profile = query_cpu(args.store)
        profile["largest"] = profile["largest"][: args.count or 10]  # type: ignore[index]
        print(json.dumps(profile))
        return 0
    seconds, results = (harmgraph_store if args.task == "store" else plain_pyshacl)(args.store)
    args.out.write_text(json.dumps(results))
    line: dict[str, object] = {"seconds": seconds, "results": len(results)}
    if args.task == "store":
        line["workers_peak_mb"] = _children_peak_mb()
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
