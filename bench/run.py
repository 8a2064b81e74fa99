"""The benchmark suite: harmgraph side by side with Oxigraph and rdflib, in one run.

    .venv/bin/python -m bench.run --quick     # 1k and 10k incidents, under 5 minutes
    .venv/bin/python -m bench.run             # 1k, 10k and 100k (about an hour, ~10 GB RAM)
    .venv/bin/python -m bench.run --quick --sections endpoint explorer   # a subset

Per size: generate the data (:mod:`bench.generate`, plus the vocabularies; cached under
``bench/out/data/`` by size and seed), then the sections: ``load`` (:mod:`bench.load`; the
rdflib parse is the rdflib-endpoint server's own, :mod:`bench.rdflib_server`, which then
serves the endpoint section), ``endpoint`` (the query mix over HTTP on the three servers,
:mod:`bench.endpoint`), ``explorer`` (network and path views, :mod:`bench.explorer`, on
the same harmgraph server), ``validation`` (single validated writes and full-store
validation, :mod:`bench.validate`) and ``dump`` (:mod:`bench.dump`). Without ``load`` the
stores are bulk-loaded unvalidated. Results go to ``bench/out/<timestamp>/``:
results.json, results.csv, ratios.md and plot.svg; ``section_s`` says where the time went.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from bench import endpoint, explorer, report
from bench.generate import write_files
from bench.load import BENCH_GRAPH, fill, load_all
from bench.measure import BIN, ROOT, Measured, python, run
from bench.queries import load_mix
from graph.settings import PROJECT_ROOT

QUICK = (1_000, 10_000)
FULL = (1_000, 10_000, 100_000)
SECTIONS = ("load", "endpoint", "explorer", "validation", "dump")
#: Single-incident writes generated per size (the first is a warm-up); quick mode uses 11.
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


def cached(n: int, seed: int, cache: Path) -> tuple[Path, int]:
    """:func:`prepare`'s data file of size ``n``, generated once per (size, seed)."""
    where = cache / f"{n}-{seed}"
    meta = where / "triples.json"
    if not meta.exists():
        shutil.rmtree(where, ignore_errors=True)
        _, triples = prepare(n, seed, where)
        meta.write_text(json.dumps({"triples": triples}))
    return where / "data.nt", int(json.loads(meta.read_text())["triples"])


def bench_size(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The chosen sections at one size; ``section_s`` records each one's wall time."""
    result: dict[str, Any] = {"incidents": n, "section_s": {}}
    timer = _Sections(result["section_s"])
    workdir.mkdir(parents=True, exist_ok=True)
    with timer("generate"):
        data, triples = cached(n, args.seed, args.cache)
    result["triples"] = triples
    result["generate_s"] = result["section_s"]["generate"]
    started: dict[str, endpoint.Server] = {}
    try:
        if "load" in args.sections:
            _log(f"{n:,} incidents ({triples:,} triples): load")
            with timer("load"):
                result["load"] = load_all(
                    data,
                    workdir,
                    triples,
                    timeout=args.timeout,
                    import_timeout=args.import_timeout,
                    loaders=("harmgraph", "oxigraph"),
                )
                started["rdflib"] = _rdflib_load(result["load"], workdir, data, triples)
        else:
            with timer("fill"):
                _fill(workdir, data)
        explore = "explorer" in args.sections and n >= args.explorer_min
        if "endpoint" in args.sections or explore:
            with endpoint.servers(workdir, data, _servers(args), started) as running:
                if "endpoint" in args.sections:
                    _log(f"{n:,}: endpoint")
                    with timer("endpoint"):
                        result["endpoint"] = _endpoint(running, args)
                if "explorer" in args.sections and n >= args.explorer_min:
                    _log(f"{n:,}: explorer")
                    with timer("explorer"):
                        result["explorer"] = _explorer(running[0], args.explorer_reps)
    finally:
        for server in started.values():
            server.stop()

    store = workdir / "harmgraph-store"
    if "validation" in args.sections:
        _log(f"{n:,}: validation")
        with timer("validation"):
            writes = python(
                "bench.validate",
                "writes",
                "--store",
                str(store),
                "--extra",
                str(data.parent / "data-extra"),
                "--count",
                str(args.writes),
            )
            result["validation"] = {"single_write": writes.json_line()}
            if n <= args.validate_max:
                result["validation"]["full_store"] = _full_validation(
                    store, workdir, args.validate_together
                )
    if "dump" in args.sections:
        _log(f"{n:,}: dump")
        with timer("dump"):
            result["dump"] = _dumps(store, workdir, args.dump_formats)
    if not args.keep:
        shutil.rmtree(workdir)
    return result


class _Sections:
    """Times ``with timer(name):`` blocks into a dict of seconds."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.into[name] = time.perf_counter() - start


def _servers(args: argparse.Namespace) -> tuple[str, ...]:
    if "endpoint" in args.sections:
        return tuple(args.servers)
    return ("harmgraph",)  # the explorer alone needs only harmgraph


def _rdflib_load(load: dict[str, Any], workdir: Path, data: Path, triples: int) -> endpoint.Server:
    """Start the rdflib-endpoint server: its parse of the file is rdflib's load measurement."""
    server = endpoint.server("rdflib", workdir, data)
    (workdir / endpoint.RDFLIB_PARSED).unlink(missing_ok=True)
    server.start()
    parsed = json.loads((workdir / endpoint.RDFLIB_PARSED).read_text())
    load["rdflib"] = {
        "seconds": parsed["seconds"],
        "triples_per_s": triples / parsed["seconds"],
        "peak_mb": parsed["peak_mb"],
        "timed_out": False,
    }
    return server


def _fill(workdir: Path, data: Path) -> None:
    """Both stores, bulk-loaded without validation (when the load section is skipped)."""
    for name in ("harmgraph", "oxigraph"):
        shutil.rmtree(workdir / f"{name}-store", ignore_errors=True)
    fill(workdir / "harmgraph-store", data)
    store = ox.Store(str(workdir / "oxigraph-store"))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=BENCH_GRAPH)
    store.flush()
    del store


def _endpoint(running: list[endpoint.Server], args: argparse.Namespace) -> dict[str, Any]:
    mix = load_mix(every_example=args.every_query)
    latency = endpoint.run_mix(
        running,
        mix,
        args.reps,
        args.budget,
        min_reps=args.min_reps,
        slow=args.slow,
        timeout=args.request_timeout,
    )
    # A server stopped at the time limit on a query of the mix cannot complete the mix in a
    # throughput window: not measured (None) rather than a meaningless zero.
    tput = {
        s.name: None
        if s.timed_out
        else endpoint.throughput(s, mix, args.clients, args.throughput_s)
        for s in running
    }
    return {
        "queries": [q.name for q in mix],
        "latency": latency,
        "throughput_rps": tput,
        "same_rows": _same_rows(latency),
    }


def _explorer(server: endpoint.Server, reps: int) -> dict[str, Any]:
    """The explorer's views on harmgraph's server: the first request (which builds the
    network and its search index), then per URL the median and p90 after a warm-up."""
    base = server.url.removesuffix("/sparql")
    start = time.perf_counter()
    httpx.get(f"{base}/search.json?q=a", timeout=3600).raise_for_status()
    first = time.perf_counter() - start
    rows = explorer.measure(base, reps, explorer.SYNTHETIC_URLS)
    views = {
        path: {"what": what, "median_ms": median, "p90_ms": p90, "bytes": size}
        for what, path, median, p90, size in rows
    }
    return {"first_request_s": first, "views": views}


def _same_rows(latency: dict[str, Any]) -> dict[str, bool]:
    """Per query, whether every server answered the same number of rows."""
    names = next(iter(latency.values()))["queries"]
    # -1: a peer stopped at the request timeout, with no answer to compare.
    return {q: len({s["queries"][q]["rows"] for s in latency.values()} - {-1}) == 1 for q in names}


def _full_validation(store: Path, workdir: Path, together: bool) -> dict[str, Any]:
    """validate_store vs plain pyshacl, each in its own process; ``together``: both at
    once, one per core (quick mode), else one after the other."""
    out: dict[str, Any] = {"together": together}
    found = {}
    tasks = (("store", "harmgraph"), ("pyshacl", "pyshacl"))

    def one(task: str, name: str) -> Measured:
        target = workdir / f"validation-{name}.json"
        return python("bench.validate", task, "--store", str(store), "--out", str(target))

    with ThreadPoolExecutor(max_workers=2 if together else 1) as pool:
        futures = {name: pool.submit(one, task, name) for task, name in tasks}
        measured = {name: future.result() for name, future in futures.items()}
    for _, name in tasks:
        line = measured[name].json_line()
        out[name] = {**line, "wall_s": measured[name].seconds, "peak_mb": measured[name].peak_mb}
        found[name] = {
            tuple(r) for r in json.loads((workdir / f"validation-{name}.json").read_text())
        }
    out["identical"] = found["harmgraph"] == found["pyshacl"]
    out["only_harmgraph"] = len(found["harmgraph"] - found["pyshacl"])
    out["only_pyshacl"] = len(found["pyshacl"] - found["harmgraph"])
    return out


def _dumps(store: Path, workdir: Path, formats: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmt in formats:
        target = workdir / f"dump.{fmt}"
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
    parser.add_argument(
        "--servers",
        nargs="+",
        choices=endpoint.SERVERS,
        default=list(endpoint.SERVERS),
        help="endpoint section: the servers compared (default: all three)",
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
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=SECTIONS,
        default=list(SECTIONS),
        help="run only these sections (default: all)",
    )
    parser.add_argument("--writes", type=int, help="single validated writes (quick: 11)")
    parser.add_argument("--explorer-reps", type=int, help="requests per explorer view")
    parser.add_argument(
        "--explorer-min", type=int, help="smallest size with the explorer section (quick: 10k)"
    )
    parser.add_argument(
        "--validate-together",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run full-store validation and plain pyshacl at once (quick: yes)",
    )
    parser.add_argument(
        "--dump-formats", nargs="+", help="harmgraph export formats (quick: nquads)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=ROOT / "bench" / "out" / "data",
        help="generated data, by size and seed",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK if args.quick else FULL)
    args.reps = args.reps or (5 if args.quick else 10)
    args.import_timeout = args.import_timeout or (30.0 if args.quick else 7200.0)
    args.slow = args.slow or (2.0 if args.quick else 60.0)
    args.request_timeout = args.request_timeout or (3.0 if args.quick else 900.0)
    args.min_reps = args.min_reps or (1 if args.quick else 3)
    args.budget = args.budget or (8.0 if args.quick else 120.0)
    args.throughput_s = args.throughput_s or (3.0 if args.quick else 15.0)
    args.validate_max = args.validate_max or (1_000 if args.quick else 100_000)
    args.writes = args.writes or (11 if args.quick else WRITES)
    args.explorer_reps = args.explorer_reps or (3 if args.quick else 20)
    args.explorer_min = (
        args.explorer_min if args.explorer_min is not None else (10_000 if args.quick else 0)
    )
    if args.validate_together is None:
        args.validate_together = args.quick
    args.dump_formats = args.dump_formats or (["nquads"] if args.quick else ["nquads", "turtle"])

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
