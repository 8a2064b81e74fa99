"""The benchmark suite: harmgraph side by side with Oxigraph and rdflib, in one run.

    .venv/bin/python -m bench.run --quick     # 1k and 10k incidents, under 5 minutes
    .venv/bin/python -m bench.run             # 1k, 10k and 100k (about an hour, ~10 GB RAM)

Per size: generate the data (:mod:`bench.generate`, plus the vocabularies), load it
(:mod:`bench.load`), run the query mix over HTTP on the three servers
(:mod:`bench.endpoint`), time single validated writes and full-store validation
(:mod:`bench.validate`), and export (:mod:`bench.dump`). Results go to
``bench/out/<timestamp>/``: results.json, results.csv, ratios.md and plot.svg.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import endpoint, report
from bench.generate import write_files
from bench.load import load_all
from bench.measure import BIN, ROOT, python, run
from bench.queries import load_mix
from graph.settings import PROJECT_ROOT

QUICK = (1_000, 10_000)
FULL = (1_000, 10_000, 100_000)
#: Single-incident writes per size (the first is a warm-up).
WRITES = 21


def prepare(n: int, seed: int, workdir: Path) -> tuple[Path, int]:
    """The data file of size ``n``: the vocabularies, then ``n`` synthetic incidents."""
    workdir.mkdir(parents=True, exist_ok=True)
    incidents = workdir / "incidents.nt"
    written = write_files(incidents, n, seed, extra=WRITES)
    data = workdir / "data.nt"
    vocab = 0
    with data.open("wb") as out:
        for path in sorted((PROJECT_ROOT / "data" / "vocab").glob("*.ttl")):
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            vocab += len(quads)
            ox.serialize((q.triple for q in quads), out, ox.RdfFormat.N_TRIPLES)
        with incidents.open("rb") as src:
            shutil.copyfileobj(src, out)
    shutil.move(workdir / "incidents-extra", workdir / "data-extra")
    incidents.unlink()
    return data, written.triples + vocab


def bench_size(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Every phase at one size."""
    result: dict[str, Any] = {"incidents": n}
    t0 = time.perf_counter()
    data, triples = prepare(n, args.seed, workdir)
    result["triples"] = triples
    result["generate_s"] = time.perf_counter() - t0
    _log(f"{n:,} incidents: {triples:,} triples generated; loading")
    result["load"] = load_all(
        data, workdir, triples, timeout=args.timeout, import_timeout=args.import_timeout
    )

    _log(f"{n:,}: endpoints")
    mix = load_mix(every_example=args.every_query)
    with endpoint.servers(workdir, data) as running:
        latency = endpoint.run_mix(
            running,
            mix,
            args.reps,
            args.budget,
            min_reps=args.min_reps,
            slow=args.slow,
            timeout=args.request_timeout,
        )
        tput = {
            s.name: endpoint.throughput(s, mix, args.clients, args.throughput_s) for s in running
        }
    result["endpoint"] = {
        "queries": [q.name for q in mix],
        "latency": latency,
        "throughput_rps": tput,
        "same_rows": _same_rows(latency),
    }

    _log(f"{n:,}: validation")
    store = workdir / "harmgraph-store"
    writes = python(
        "bench.validate", "writes", "--store", str(store), "--extra", str(workdir / "data-extra")
    )
    result["validation"] = {"single_write": writes.json_line()}
    if n <= args.validate_max:
        result["validation"]["full_store"] = _full_validation(store, workdir)

    _log(f"{n:,}: dumps")
    result["dump"] = _dumps(store, workdir)
    if not args.keep:
        shutil.rmtree(workdir)
    return result


def _same_rows(latency: dict[str, Any]) -> dict[str, bool]:
    """Per query, whether every server answered the same number of rows."""
    names = next(iter(latency.values()))["queries"]
    # -1: a peer stopped at the request timeout, with no answer to compare.
    return {q: len({s["queries"][q]["rows"] for s in latency.values()} - {-1}) == 1 for q in names}


def _full_validation(store: Path, workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    found = {}
    for task, name in (("store", "harmgraph"), ("pyshacl", "pyshacl")):
        target = workdir / f"validation-{name}.json"
        measured = python("bench.validate", task, "--store", str(store), "--out", str(target))
        line = measured.json_line()
        out[name] = {**line, "wall_s": measured.seconds, "peak_mb": measured.peak_mb}
        found[name] = {tuple(r) for r in json.loads(target.read_text())}
    out["identical"] = found["harmgraph"] == found["pyshacl"]
    out["only_harmgraph"] = len(found["harmgraph"] - found["pyshacl"])
    out["only_pyshacl"] = len(found["pyshacl"] - found["harmgraph"])
    return out


def _dumps(store: Path, workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmt, ext in (("nquads", "nq"), ("turtle", "ttl")):
        target = workdir / f"dump.{ext}"
        measured = python(
            "bench.dump", "--store", str(store), "--format", fmt, "--out", str(target)
        )
        out[f"harmgraph-{fmt}"] = {**measured.json_line(), "peak_mb": measured.peak_mb}
        target.unlink()
    target = workdir / "oxigraph-dump.nq"
    cmd = [str(BIN / "oxigraph"), "dump", "--location", str(workdir / "oxigraph-store")]
    measured = run([*cmd, "--file", str(target)])
    if measured.returncode != 0:
        raise RuntimeError(f"oxigraph dump failed: {measured.stderr[-2000:]}")
    out["oxigraph-nquads"] = {
        "seconds": measured.seconds,
        "bytes": target.stat().st_size,
        "peak_mb": measured.peak_mb,
    }
    target.unlink()
    return out


def _log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the suite; print the ratio tables and where the results are."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k incidents only")
    parser.add_argument("--sizes", type=int, nargs="+", help="incident counts (overrides)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=None, help="requests per query per server")
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help="seconds of measured requests per server before it stops early",
    )
    parser.add_argument(
        "--min-reps",
        type=int,
        default=None,
        help="repetitions every server gets, whatever its budget",
    )
    parser.add_argument(
        "--slow",
        type=float,
        default=None,
        help="queries slower than this (s) at warm-up are not repeated",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=None,
        help="abandon a warm-up request after this many seconds (quick: 60)",
    )
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (throughput)")
    parser.add_argument("--throughput-s", type=float, default=None)
    parser.add_argument(
        "--validate-max",
        type=int,
        default=None,
        help="largest size with full-store validation (quick: 1k)",
    )
    parser.add_argument("--every-query", action="store_true", help="all of data/queries/*.rq")
    parser.add_argument("--timeout", type=float, default=7200, help="per loader, seconds")
    parser.add_argument(
        "--import-timeout",
        type=float,
        default=None,
        help="stop harmgraph import after this many seconds (quick: 120)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores and data files")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK if args.quick else FULL)
    args.reps = args.reps or (5 if args.quick else 10)
    args.import_timeout = args.import_timeout or (120.0 if args.quick else 7200.0)
    args.slow = args.slow or (10.0 if args.quick else 60.0)
    args.request_timeout = args.request_timeout or (60.0 if args.quick else 900.0)
    args.min_reps = args.min_reps or (1 if args.quick else 3)
    args.budget = args.budget or (10.0 if args.quick else 120.0)
    args.throughput_s = args.throughput_s or (4.0 if args.quick else 15.0)
    args.validate_max = args.validate_max or (1_000 if args.quick else 100_000)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out / stamp
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": stamp,
        "mode": "quick" if args.quick else "full",
        "machine": {
            "cpus": _cpus(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {k: str(v) for k, v in vars(args).items()},
        "sizes": [],
    }
    for n in sizes:
        results["sizes"].append(bench_size(n, args, out / f"work-{n}"))
        results["elapsed_s"] = time.perf_counter() - started
        report.write(results, out)  # after every size, so a long run leaves partial results
    print(report.markdown(results))
    _log(f"done in {results['elapsed_s']:.0f} s; results in {out}")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    sys.exit(main())
