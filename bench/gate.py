"""The write gate, pyshacl vs the compiled SPARQL shapes (``graph.gate``).

    python -m bench.gate aiid                       # gate the AIID snapshot both ways
    python -m bench.gate writes --incidents 1000    # single-incident writes, both ways
    python -m bench.gate import --incidents 10000   # harmgraph import vs oxigraph load
    python -m bench.gate import --incidents 100000 --modes bulk --reps 2
    python -m bench.gate inprocess --incidents 1000 # import_graph of a file, both gates

``aiid`` times ``Gate.check`` (compiled) and ``Gate.validate`` (pyshacl) on the converted
snapshot and compares their Violations. ``writes`` fills an in-memory store with
synthetic incidents (unvalidated bulk load) and times ``graph.ingest.import_graph`` of
new incidents (one per write, parsed beforehand; the first write of each kind is a
warm-up), alternating the two gates. ``inprocess`` times one ``import_graph`` of a
parsed synthetic file into a fresh in-memory store with each gate. ``import`` runs
``harmgraph import`` (``--modes transaction bulk``: both variants) and ``oxigraph load`` on the
bench's cached synthetic file, each in its own process, ``--reps`` times interleaved.
Each prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.generate import write_files
from bench.load import BENCH_GRAPH
from bench.measure import BIN, ROOT, run
from bench.run import cached
from graph import io as rdf_io
from graph.gate import Gate
from graph.importers.aiid import load_snapshot
from graph.ingest import import_graph
from graph.report import ValidationReport
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.validation import get_validator


def _keys(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(str(r.focus_node), str(r.path), str(r.source_shape)) for r in report.violations}


def gate_aiid() -> dict[str, object]:
    """Gate the AIID snapshot with pyshacl and with the compiled shapes."""
    data = load_snapshot(PROJECT_ROOT / "data" / "aiid")
    compiled, reference = Gate(get_validator(), workers=1), Gate(get_validator(), workers=1)
    start = time.perf_counter()
    fast = compiled.check(data)
    fast_s = time.perf_counter() - start
    start = time.perf_counter()
    slow = reference.validate(data)
    slow_s = time.perf_counter() - start
    return {
        "triples": len(data),
        "pyshacl_s": round(slow_s, 2),
        "compiled_s": round(fast_s, 2),
        "speedup": round(slow_s / fast_s, 1),
        "same_violations": _keys(fast) == _keys(slow),
        "violations": len(slow.violations),
    }


class _Checker:
    """What import_graph needs of a validator, with a chosen gate."""

    def __init__(self, gate: Gate, *, compiled: bool) -> None:
        self.gate, self.compiled = gate, compiled

    def check(self, data: object) -> ValidationReport:
        return self.gate.check(data) if self.compiled else self.gate.validate(data)  # type: ignore[arg-type]


def single_writes(incidents: int, writes: int) -> dict[str, object]:
    """Median/p95 ms of single-incident writes into a store of ``incidents``, both gates."""
    with tempfile.TemporaryDirectory() as tmp:
        written = write_files(Path(tmp) / "data.nt", incidents, seed=7, extra=2 * writes + 2)
        store = Store.open("memory")
        store.ox.bulk_load(
            path=str(written.path), format=ox.RdfFormat.N_TRIPLES, to_graph=BENCH_GRAPH
        )
        files = sorted((Path(tmp) / "data-extra").glob("*.nt"))
        parsed = [rdf_io.parse(f) for f in files]
    gate = Gate(get_validator(), workers=1)
    checkers = {
        "compiled": _Checker(gate, compiled=True),
        "pyshacl": _Checker(gate, compiled=False),
    }
    times: dict[str, list[float]] = {name: [] for name in checkers}
    for k, data in enumerate(parsed):
        name = "compiled" if k % 2 == 0 else "pyshacl"
        start = time.perf_counter()
        import_graph(store, data, graph_name="bench", source=f"w{k}", validator=checkers[name])
        if k >= 2:
            times[name].append(1000 * (time.perf_counter() - start))
    out: dict[str, object] = {"incidents": incidents}
    for name, values in times.items():
        values.sort()
        out[f"{name}_median_ms"] = round(statistics.median(values), 1)
        out[f"{name}_p95_ms"] = round(values[min(len(values) - 1, int(0.95 * len(values)))], 1)
    return out


def inprocess_import(incidents: int) -> dict[str, object]:
    """Seconds of one import_graph of ``incidents`` synthetic incidents, per gate."""
    with tempfile.TemporaryDirectory() as tmp:
        written = write_files(Path(tmp) / "data.nt", incidents, seed=7)
        data = rdf_io.parse(written.path)
    gate = Gate(get_validator())
    out: dict[str, object] = {"incidents": incidents, "triples": written.triples}
    for name in ("compiled", "pyshacl"):
        checker = _Checker(gate, compiled=name == "compiled")
        start = time.perf_counter()
        store = Store.open("memory")
        import_graph(store, data, graph_name="bench", source="f", validator=checker)
        out[f"{name}_s"] = round(time.perf_counter() - start, 2)
    return out


def bulk_import(
    incidents: int, reps: int = 1, modes: tuple[str, ...] = ("transaction",)
) -> dict[str, object]:
    """``harmgraph import`` (validated, compiled gate) vs ``oxigraph load`` of one file.

    The bench's cached data file of ``incidents`` (``bench/out/data``, generated once) is
    loaded ``reps`` times by each, interleaved, each into a fresh on-disk store: ``modes``
    are the ``harmgraph import`` variants (``transaction``, ``bulk``: ``--bulk``). Per
    loader the median seconds, triples/s and the ratio to ``oxigraph load``'s throughput;
    the 1-minute load average before each run.
    """
    data, triples = cached(incidents, 7, ROOT / "bench" / "out" / "data")
    runs: list[dict[str, object]] = []
    out: dict[str, object] = {"incidents": incidents, "triples": triples, "runs": runs}
    seconds: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="harmgraph-bench-import-") as tmp:
        commands = {
            f"harmgraph_{mode}": [str(BIN / "harmgraph"), "import",
                                  *(["--bulk"] if mode == "bulk" else []),
                                  "--store", f"{tmp}/hg", "--graph", "bench", str(data)]
            for mode in modes
        }  # fmt: skip
        commands["oxigraph"] = [str(BIN / "oxigraph"), "load", "--location", f"{tmp}/ox"]
        commands["oxigraph"] += ["--file", str(data), "--graph", BENCH_GRAPH.value]
        for _ in range(reps):
            for name, cmd in commands.items():
                for store in ("hg", "ox"):
                    shutil.rmtree(Path(tmp) / store, ignore_errors=True)
                load = os.getloadavg()[0]
                measured = run(cmd, timeout=3600)
                if measured.returncode != 0:
                    raise RuntimeError(f"{name} failed: {measured.stderr[-2000:]}")
                seconds.setdefault(name, []).append(measured.seconds)
                runs.append(
                    {"loader": name, "s": round(measured.seconds, 2), "load": round(load, 1),
                     "peak_mb": round(measured.peak_mb)}
                )  # fmt: skip
    base = statistics.median(seconds["oxigraph"])
    for name, values in seconds.items():
        median = statistics.median(values)
        out[f"{name}_s"] = round(median, 2)
        out[f"{name}_triples_per_s"] = round(triples / median)
        out[f"{name}_ratio"] = round(base / median, 3)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bench.gate {aiid,writes,import,inprocess}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=("aiid", "writes", "import", "inprocess"))
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--writes", type=int, default=20, help="writes per gate")
    parser.add_argument("--reps", type=int, default=1, help="import: runs of each loader")
    parser.add_argument(
        "--modes", nargs="+", default=["transaction"], choices=("transaction", "bulk"),
        help="import: harmgraph import in one transaction, with --bulk, or both",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.task == "aiid":
        result = gate_aiid()
    elif args.task == "writes":
        result = single_writes(args.incidents, args.writes)
    elif args.task == "inprocess":
        result = inprocess_import(args.incidents)
    else:
        result = bulk_import(args.incidents, args.reps, tuple(args.modes))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
