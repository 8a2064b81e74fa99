"""A bounded HTTP load test of the service on 127.0.0.1 at rising concurrency.

Starts ``uvicorn api.main:create_app`` as its own process over an on-disk store
holding the bundled data (built here unless ``--store`` is given), then, for each
concurrency level, sends a fixed number of requests (a mix of the worked SPARQL
examples, entity pages, explorer paths and the network view) from that many
concurrent clients, each level capped in time. Reports throughput, p50/p95/p99
latency, status counts and the server's resident memory before and after (RSS, and
its peak, VmHWM). Traffic goes to 127.0.0.1 only.

    python -m bench.load_test --levels 1,4,16,64 --requests 400 --out bench/out/load.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from graph import model
from graph.examples import load_examples
from graph.importers.aiid import load_snapshot
from graph.importers.topaithreats import import_pages
from graph.settings import PROJECT_ROOT
from graph.terms import graph_name, to_quads

DATA = PROJECT_ROOT / "data"
PAGES = [
    "/id/incident/inc-26-0068",
    "/id/incident/aiid-23",
    "/id/actor/palantir",
    "/id/actor/palantir.json",
    "/path?from=palantir&to=ice",
    "/path.json?from=palantir&to=ice",
    "/network.json?focus=palantir",
    "/search.json?q=pal",
]


@dataclass
class Level:
    """What one concurrency level measured."""

    concurrency: int
    requests: int
    seconds: float
    throughput: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    #: The server's resident memory after the level, KiB.
    rss_kib: int = 0


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of sorted values, nearest rank.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.0
    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.99)
    4.0
    """
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(q * len(sorted_values) + 0.4999)))
    return sorted_values[rank - 1]


def request_mix() -> list[str]:
    """The URLs of one round: every worked example as a GET query, and the pages."""
    examples = load_examples(DATA / "queries")
    queries = [
        "/sparql?" + httpx.QueryParams({"query": example.text}).__str__() for example in examples
    ]
    return queries + PAGES


def _cycle(urls: list[str], count: int) -> Iterator[str]:
    for i in range(count):
        yield urls[i % len(urls)]


async def run_level(base: str, urls: list[str], concurrency: int, count: int, cap: float) -> Level:
    """Send ``count`` requests from ``concurrency`` clients, for at most ``cap`` seconds."""
    todo = _cycle(urls, count)
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    errors = 0
    deadline = time.monotonic() + cap
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for url in todo:
            if time.monotonic() > deadline:
                return
            started = time.monotonic()
            try:
                response = await client.get(url, headers={"Accept": "application/json"})
                statuses[str(response.status_code)] += 1
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append(time.monotonic() - started)

    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    seconds = time.monotonic() - started
    done = sorted(latencies)
    return Level(
        concurrency,
        len(done) + errors,
        round(seconds, 2),
        round(len(done) / seconds, 1) if seconds else 0.0,
        round(percentile(done, 0.50) * 1000, 1),
        round(percentile(done, 0.95) * 1000, 1),
        round(percentile(done, 0.99) * 1000, 1),
        dict(statuses),
        errors,
    )


def build_store(location: Path) -> None:
    """The bundled data in an on-disk store, one named graph per source (no validation)."""
    store = ox.Store(str(location))
    vocab = ox.NamedNode(str(model.VOCAB_GRAPH))
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")) + sorted(
        (DATA / "vocab").glob("*.ttl")
    ):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=vocab)
    curated = ox.NamedNode(str(model.named_graph("curated")))
    for path in sorted((DATA / "incidents").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=curated)
    store.extend(to_quads(load_snapshot(DATA / "aiid"), graph_name(str(model.named_graph("aiid")))))
    pages = import_pages(sorted((DATA / "topaithreats").glob("*.txt")))
    store.extend(to_quads(pages, graph_name(str(model.named_graph("topaithreats")))))
    store.flush()
    del store


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def start_server(store: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn on a loopback socket this process bound (``--fd``); returns it and its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app"]
        + ["--fd", str(sock.fileno()), "--log-level", "warning"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HARMGRAPH_STORE": str(store), **env},
        pass_fds=[sock.fileno()],
        start_new_session=True,
    )
    sock.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/-/health", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
        time.sleep(0.1)  # polling until the server answers


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an on-disk store (default: build one)")
    parser.add_argument("--levels", default="1,4,16,64")
    parser.add_argument("--requests", type=int, default=400, help="requests per level")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per level at most")
    parser.add_argument("--max-concurrent-requests", type=int, default=32)
    parser.add_argument("--max-queued-requests", type=int, default=64)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="harmgraph-load-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            build_store(store)
        env = {
            "HARMGRAPH_MAX_CONCURRENT_REQUESTS": str(args.max_concurrent_requests),
            "HARMGRAPH_MAX_QUEUED_REQUESTS": str(args.max_queued_requests),
        }
        process, base = start_server(store, env)
        try:
            urls = request_mix()
            asyncio.run(run_level(base, urls, 4, len(urls), args.cap))  # warm-up round
            memory = {"before": memory_kib(process.pid)}
            levels = []
            for c in args.levels.split(","):
                level = asyncio.run(run_level(base, urls, int(c), args.requests, args.cap))
                level.rss_kib = memory_kib(process.pid)["VmRSS"]
                levels.append(level)
            memory["after"] = memory_kib(process.pid)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    result = {
        "settings": {
            "max_concurrent_requests": args.max_concurrent_requests,
            "max_queued_requests": args.max_queued_requests,
        },
        "mix": {"sparql_examples": len(urls) - len(PAGES), "pages": PAGES},
        "levels": [asdict(level) for level in levels],
        "server_memory_kib": memory,
    }
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
