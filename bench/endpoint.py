"""Endpoint phase: the query mix over HTTP against three servers holding the same data.

* ``harmgraph``: ``uvicorn --factory api.main:create_app`` with ``HARMGRAPH_STORE`` the store
  ``harmgraph import`` filled (query worker processes over the on-disk store);
* ``oxigraph``: ``oxigraph serve --location DIR`` on the store ``oxigraph load`` filled;
* ``rdflib``: ``rdflib-endpoint serve FILE`` (rdflib's in-memory graph).

Queries are sent as SPARQL 1.1 Protocol POST bodies (``application/sparql-query``).

Every server listens on 127.0.0.1 only. Requests are interleaved: for each repetition, for
each query, every server gets the same request, the first server rotating, so drift on a
shared machine hits all three alike. Every server first answers every query once (warm-up,
not counted). A server whose measured time passes ``budget`` seconds stops after
``min_reps`` repetitions (rdflib at 100k), and the row counts of the answers are compared.

Throughput is measured afterwards, per server: ``clients`` threads send the mix round and
round for ``seconds``; completed requests per second.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.measure import BIN, ROOT, free_port, tree_rss_mb, wait_ready
from bench.queries import Query

SERVERS = ("harmgraph", "oxigraph", "rdflib")


@dataclass
class Server:
    """A running SPARQL server."""

    name: str
    url: str
    proc: subprocess.Popen[bytes]
    ready_s: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    spent: float = 0.0


def _command(name: str, workdir: Path, data: Path, port: int) -> tuple[list[str], str]:
    if name == "harmgraph":
        cmd = [str(BIN / "uvicorn"), "--factory", "api.main:create_app", "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
        return cmd, f"http://127.0.0.1:{port}/sparql"
    if name == "oxigraph":
        store = str(workdir / "oxigraph-store")
        cmd = [str(BIN / "oxigraph"), "serve", "--location", store]
        return [*cmd, "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query"
    cmd = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1"]
    return [*cmd, "--port", str(port)], f"http://127.0.0.1:{port}/"


@contextmanager
def servers(workdir: Path, data: Path, names: tuple[str, ...] = SERVERS) -> Iterator[list[Server]]:
    """Start the servers, wait until each answers, stop them on exit."""
    env = dict(os.environ)
    env.update(
        HARMGRAPH_STORE=str(workdir / "harmgraph-store"),
        HARMGRAPH_QUERY_TIMEOUT="300",
        HARMGRAPH_MAX_ROWS="100000",
    )
    running: list[Server] = []
    logs = []
    try:
        for name in names:
            cmd, url = _command(name, workdir, data, free_port())
            log = (workdir / f"{name}-server.log").open("wb")
            logs.append(log)
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
            server = Server(name, url, proc)
            running.append(server)
            server.ready_s = wait_ready(url + "?query=ASK%7B%7D", proc)
        yield running
    finally:
        for server in running:
            server.proc.terminate()
        for server in running:
            try:
                server.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()
        for log in logs:
            log.close()


def _ask(client: httpx.Client, server: Server, query: Query) -> tuple[float, int]:
    """One request; its latency in seconds and the number of rows (or triples) answered."""
    start = time.perf_counter()
    headers = {"Content-Type": "application/sparql-query", "Accept": query.accept}
    response = client.post(server.url, content=query.text.encode("utf-8"), headers=headers)
    body = response.content
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(
            f"{server.name} {query.name}: HTTP {response.status_code} {body[:300]!r}"
        )
    if query.is_graph:
        return elapsed, sum(1 for line in body.splitlines() if line.strip())
    return elapsed, len(response.json()["results"]["bindings"])


def run_mix(
    running: list[Server], mix: list[Query], reps: int, budget: float, min_reps: int = 3
) -> dict[str, object]:
    """Interleaved latency measurement; per server and query p50/p95 and row counts."""
    with httpx.Client(timeout=900) as client:
        for server in running:  # warm-up: every query once, not counted
            for query in mix:
                _, server.rows[query.name] = _ask(client, server, query)
        for rep in range(reps):
            order = running[rep % len(running) :] + running[: rep % len(running)]
            for query in mix:
                for server in order:
                    if rep >= min_reps and server.spent > budget:
                        continue
                    elapsed, _ = _ask(client, server, query)
                    server.latencies.setdefault(query.name, []).append(elapsed)
                    server.spent += elapsed
    return {s.name: _summary(s, mix) for s in running}


def _summary(server: Server, mix: list[Query]) -> dict[str, object]:
    per_query = {}
    everything = []
    for query in mix:
        samples = sorted(server.latencies.get(query.name, []))
        everything.extend(samples)
        per_query[query.name] = {
            "n": len(samples),
            "p50_ms": 1000 * statistics.median(samples),
            "p95_ms": 1000 * _percentile(samples, 0.95),
            "rows": server.rows[query.name],
        }
    return {
        "ready_s": server.ready_s,
        "rss_mb": tree_rss_mb(server.proc.pid),
        "p50_ms": 1000 * statistics.median(everything),
        "p95_ms": 1000 * _percentile(sorted(everything), 0.95),
        "queries": per_query,
    }


def _percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    return samples[min(len(samples) - 1, max(0, round(q * len(samples) + 0.5) - 1))]


def throughput(server: Server, mix: list[Query], clients: int, seconds: float) -> float:
    """Requests per second with ``clients`` concurrent clients over ``seconds``."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client_loop(k: int) -> None:
        with httpx.Client(timeout=900) as client:
            i = k
            while time.perf_counter() < stop:
                _ask(client, server, mix[i % len(mix)])
                done[k] += 1
                i += 1

    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - start)
