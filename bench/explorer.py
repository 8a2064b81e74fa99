"""Explorer benchmark: a neighbourhood view and a path query over HTTP on the full bundled graph.

Not a timed test. Loads the bundled data (``harmgraph load-bundled``) into a fresh
on-disk store in a temporary directory (or uses ``--store DIR`` as it is), serves it
with ``uvicorn --factory api.main:create_app`` on 127.0.0.1, asks each URL once to warm
up (the first request builds the network and its search index), then ``--reps`` times,
and prints the median, 90th and 95th percentile per URL as a Markdown table (the numbers
in docs/explorer.md come from it)::

    .venv/bin/python -m bench.explorer --reps 30
    .venv/bin/python -m bench.explorer --store DIR --synthetic --reps 20   # bench.generate data

For the synthetic data, fill DIR once with ``bench.load.fill`` (a pyoxigraph bulk load of
``bench/out/data/{size}-{seed}/data.nt``, the store ``bench.run`` makes without its load
section) and reuse it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.measure import BIN, ROOT, free_port, wait_ready

#: (what, URL path): the pages a journalist opens, and the same views as data.
URLS = (
    ("neighbourhood page, Palantir, 1 hop", "/network?focus=palantir"),
    ("neighbourhood page, ICE, 2 hops", "/network?focus=ice&hops=2"),
    ("neighbourhood JSON, ICE, 2 hops", "/network.json?focus=ice&hops=2"),
    ("co-incident page, Palantir, 2 hops", "/network?focus=palantir&mode=actors&hops=2"),
    ("whole graph page, capped at 300", "/network"),
    ("path page, Palantir to ICE", "/path?from=palantir&to=ice"),
    ("path JSON, Palantir to ICE", "/path.json?from=palantir&to=ice"),
    ("path page, Palantir to a harmed group", "/path?from=palantir&to=ice-job-applicants"),
    ("type-ahead, 'ICE'", "/search.json?q=ICE&limit=8"),
)


#: The same views on the synthetic data of :mod:`bench.generate` (``bench.run``'s explorer
#: section): its biggest hub (a party to several percent of all incidents), a mid-ranked
#: party, and paths between them (all named at 1,000 incidents with the default seed).
SYNTHETIC_URLS = (
    ("neighbourhood page, the hub, 1 hop", "/network?focus=synthetic-actor-0"),
    ("neighbourhood JSON, a mid party, 2 hops", "/network.json?focus=synthetic-actor-42&hops=2"),
    ("co-incident page, the hub, 2 hops", "/network?focus=synthetic-actor-0&mode=actors&hops=2"),
    ("whole graph page, capped at 300", "/network"),
    ("path page, the hub to a mid party", "/path?from=synthetic-actor-0&to=synthetic-actor-42"),
    (
        "path JSON, a mid party to another",
        "/path.json?from=synthetic-actor-42&to=synthetic-actor-60",
    ),
    ("type-ahead, 'Synthetic Actor 42'", "/search.json?q=Synthetic%20Actor%2042&limit=8"),
    ("entity page, the hub", "/id/actor/synthetic-actor-0"),
    ("entity page, a mid party", "/id/actor/synthetic-actor-42"),
)


def load(store: Path) -> None:
    """Fill ``store`` with the bundled data through the CLI (validated imports)."""
    env = {**os.environ, "HARMGRAPH_STORE": str(store)}
    subprocess.run([str(BIN / "harmgraph"), "load-bundled"], check=True, env=env, cwd=ROOT)


def measure(
    base: str, reps: int, urls: tuple[tuple[str, str], ...] = URLS
) -> list[tuple[str, str, float, float, int]]:
    """Per URL: what, path, median ms, p90 ms, response bytes (after one warm-up each)."""
    return [
        (what, path, statistics.median(times), _percentile(times, 90), size)
        for what, path, times, size in samples(base, reps, urls)
    ]


def samples(
    base: str, reps: int, urls: tuple[tuple[str, str], ...] = URLS
) -> list[tuple[str, str, list[float], int]]:
    """Per URL: what, path, the ``reps`` times in ms after one warm-up, response bytes."""
    rows = []
    with httpx.Client(base_url=base, timeout=3600) as client:
        for what, path in urls:
            first = client.get(path)
            first.raise_for_status()
            times = []
            for _ in range(reps):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - start) * 1000)
            rows.append((what, path, times, len(first.content)))
    return rows


def _percentile(times: list[float], p: int) -> float:
    return statistics.quantiles(times, n=100)[p - 1] if len(times) > 1 else times[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--store", type=Path, help="an already loaded store directory")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="the views of bench.generate's data (--store holds it; see SYNTHETIC_URLS)",
    )
    parser.add_argument("--only", help="only the views whose URL contains this text")
    args = parser.parse_args()
    if args.synthetic and args.store is None:
        parser.error("--synthetic needs --store (a store holding bench.generate's data)")
    urls = tuple(
        (what, path)
        for what, path in (SYNTHETIC_URLS if args.synthetic else URLS)
        if not args.only or args.only in path
    )
    with tempfile.TemporaryDirectory(prefix="harmgraph-explorer-") as tmp:
        store = args.store or Path(tmp) / "store"
        if args.store is None:
            started = time.perf_counter()
            load(store)
            print(f"loaded the bundled data in {time.perf_counter() - started:.0f} s")
        port = free_port()
        env = {**os.environ, "HARMGRAPH_STORE": str(store)}
        command = [
            str(BIN / "uvicorn"),
            "--factory",
            "api.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
        with subprocess.Popen(command, env=env, cwd=ROOT) as server:
            try:
                base = f"http://127.0.0.1:{port}"
                wait_ready(f"{base}/-/health", server)
                started = time.perf_counter()
                httpx.get(f"{base}/search.json?q=a", timeout=3600).raise_for_status()
                print(f"first load (network + index): {time.perf_counter() - started:.2f} s")
                print(f"\n{os.cpu_count()} CPUs, {args.reps} repetitions after one warm-up\n")
                print("| view | URL | median ms | p90 ms | p95 ms | bytes |")
                print("|---|---|---:|---:|---:|---:|")
                for what, path, times, size in samples(base, args.reps, urls):
                    median, p90, p95 = (
                        statistics.median(times),
                        _percentile(times, 90),
                        _percentile(times, 95),
                    )
                    print(
                        f"| {what} | `{path}` | {median:.0f} | {p90:.0f} | {p95:.0f} | {size:,} |",
                        flush=True,
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
