"""Endpoint phase: the query mix over HTTP against three servers holding the same data.

* ``harmgraph``: ``uvicorn --factory api.main:create_app`` with ``HARMGRAPH_STORE`` the store
  ``harmgraph import`` filled (query worker processes over the on-disk store);
* ``oxigraph``: ``oxigraph serve --location DIR --union-default-graph`` on the store
  ``oxigraph load`` filled: the same quads as harmgraph's store (the data in a named graph)
  and the same query semantics (the default graph is the union of the graphs), so the two
  servers do the same work;
* ``rdflib``: rdflib-endpoint's app over rdflib's in-memory graph, as
  ``rdflib-endpoint serve FILE`` runs it, but from :mod:`bench.rdflib_server`, which parses
  once and serves from a forked child, so that a restart after an abandoned query takes a
  fraction of a second instead of a new parse.

Queries are sent as SPARQL 1.1 Protocol POST bodies (``application/sparql-query``).

Every server listens on 127.0.0.1 only. Requests are interleaved: for each repetition, for
each query, every server gets the same request, the first server rotating, so drift on a
shared machine hits all three alike. Measuring starts once every server is idle (harmgraph
computes its data-quality report after start-up: :func:`settle`), and every server first
answers every query once (warm-up, not counted). A server whose measured time passes
``budget`` seconds stops after ``min_reps`` repetitions, a query whose warm-up took longer
than ``slow`` seconds is not repeated on that server (rdflib at 10k and more), and the row
counts are compared.

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
import psutil

from bench.measure import BIN, PYTHON, ROOT, free_port, tree_rss_mb, wait_ready
from bench.queries import Query

SERVERS = ("harmgraph", "oxigraph", "rdflib")
#: Seconds a server may take to answer its first request: rdflib-endpoint parses the
#: whole file first (about 2 minutes at 100k incidents alone, far more on a busy machine).
READY_TIMEOUT = 3600.0


@dataclass
class Server:
    """A running SPARQL server, restartable (a peer stuck on an abandoned query)."""

    name: str
    cmd: list[str]
    url: str
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    ready_s: float = 0.0
    #: Seconds waited after start-up until every server was idle (:func:`settle`).
    settled_s: float = 0.0
    restarts: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    spent: float = 0.0
    #: Queries measured only by their warm-up (too slow to repeat on this server).
    warm_only: set[str] = field(default_factory=set)
    #: Queries stopped at the request timeout (their latency is a lower bound).
    timed_out: set[str] = field(default_factory=set)

    @property
    def pid(self) -> int:
        """The server's process id."""
        if self.proc is None:
            raise RuntimeError(f"{self.name} is not running")
        return self.proc.pid

    def start(self) -> None:
        """Start the server and wait until it answers; ``ready_s`` is how long that took."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        self.ready_s = wait_ready(self.url + "?query=ASK%7B%7D", self.proc, READY_TIMEOUT)

    def restart(self) -> None:
        """Start afresh: the server is stuck on an abandoned query.

        rdflib: kill the serving child; :mod:`bench.rdflib_server` forks a fresh one.
        """
        self.restarts += 1
        if self.name != "rdflib":
            ready = self.ready_s
            self.stop()
            self.start()
            self.ready_s = ready  # the first start is the one reported
            return
        for child in psutil.Process(self.pid).children():
            child.kill()
        wait_ready(self.url + "?query=ASK%7B%7D", self.proc)  # type: ignore[arg-type]

    @property
    def rss_mb(self) -> float:
        """Resident memory of the server: the process tree, or rdflib's serving child
        (its forking parent shares the same pages, which would count them twice)."""
        if self.name == "rdflib":
            children = psutil.Process(self.pid).children()
            return tree_rss_mb(children[0].pid) if children else 0.0
        return tree_rss_mb(self.pid)

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 20 s)."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def settle(pids: list[int], idle: float = 0.05, timeout: float = 900.0) -> float:
    """Wait until the servers' process trees use under ``idle`` of a core; the seconds waited.

    A harmgraph server computes its data-quality report in a child process after start-up
    (~40 s of CPU at 10k, at nice 19); measured during it, its requests share the machine
    with that work, which the peers do not do.
    """
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        procs = [psutil.Process(pid) for pid in pids]
        procs += [c for p in procs for c in p.children(recursive=True)]
        before = sum(_cpu(p) for p in procs)
        time.sleep(1.0)  # the sampling window, not synchronisation
        if sum(_cpu(p) for p in procs) - before < idle:
            break
    return time.monotonic() - start


def _cpu(proc: psutil.Process) -> float:
    try:
        times = proc.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return float(times.user + times.system)


def _command(name: str, workdir: Path, data: Path, port: int) -> tuple[list[str], str]:
    if name == "harmgraph":
        cmd = [str(BIN / "uvicorn"), "--factory", "api.main:create_app", "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
        return cmd, f"http://127.0.0.1:{port}/sparql"
    if name == "oxigraph":
        store = str(workdir / "oxigraph-store")
        cmd = [str(BIN / "oxigraph"), "serve", "--location", store, "--union-default-graph"]
        return [*cmd, "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}/query"
    cmd = [PYTHON, "-m", "bench.rdflib_server", str(data), "--port", str(port)]
    return [*cmd, "--report", str(workdir / RDFLIB_PARSED)], f"http://127.0.0.1:{port}/"


#: Where the rdflib server reports its parse (the suite's rdflib load measurement).
RDFLIB_PARSED = "rdflib-parsed.json"


def server(name: str, workdir: Path, data: Path) -> Server:
    """A server of ``name`` over the data of ``workdir`` (not started)."""
    env = dict(os.environ)
    env.update(
        HARMGRAPH_STORE=str(workdir / "harmgraph-store"),
        HARMGRAPH_QUERY_TIMEOUT="3600",
        HARMGRAPH_MAX_ROWS="100000",
    )
    cmd, url = _command(name, workdir, data, free_port())
    return Server(name, cmd, url, env, workdir / f"{name}-server.log")


@contextmanager
def servers(
    workdir: Path,
    data: Path,
    names: tuple[str, ...] = SERVERS,
    started: dict[str, Server] | None = None,
) -> Iterator[list[Server]]:
    """Start the servers (except those already ``started``), wait until each answers,
    stop them all on exit."""
    running: list[Server] = []
    try:
        for name in names:
            if started and name in started:
                running.append(started[name])
                continue
            running.append(server(name, workdir, data))
            running[-1].start()
        waited = settle([s.pid for s in running])
        for each in running:
            each.settled_s = waited
        yield running
    finally:
        for each in running:
            each.stop()


def _ask(
    client: httpx.Client, server: Server, query: Query, timeout: float = 3600
) -> tuple[float, int]:
    """One request; its latency in seconds and the number of rows (or triples) answered."""
    start = time.perf_counter()
    headers = {"Content-Type": "application/sparql-query", "Accept": query.accept}
    response = client.post(
        server.url, content=query.text.encode("utf-8"), headers=headers, timeout=timeout
    )
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
    running: list[Server],
    mix: list[Query],
    reps: int,
    budget: float,
    min_reps: int = 3,
    slow: float = 30.0,
    timeout: float = 600.0,
) -> dict[str, object]:
    """Interleaved latency measurement; per server and query p50/p95 and row counts.

    A query whose warm-up took more than ``slow`` seconds on a server is not repeated
    there: its warm-up time stands as its only sample (``warm_only``). A warm-up still
    running after ``timeout`` seconds is abandoned, recorded as ``timeout`` (a lower
    bound) and the server restarted, since rdflib-endpoint evaluates on its event loop
    and would stay busy with the abandoned query. Peers needing minutes per query thus
    bound the run instead of dominating it.
    """
    warm: dict[tuple[str, str], float] = {}
    with httpx.Client(timeout=timeout) as client:
        for server in running:  # warm-up: every query once
            for query in mix:
                try:
                    warm[server.name, query.name], server.rows[query.name] = _ask(
                        client, server, query, timeout
                    )
                except httpx.TimeoutException:
                    warm[server.name, query.name], server.rows[query.name] = timeout, -1
                    server.timed_out.add(query.name)
                    server.restart()
        for rep in range(reps):
            order = running[rep % len(running) :] + running[: rep % len(running)]
            for query in mix:
                for server in order:
                    if warm[server.name, query.name] > slow:
                        continue
                    if rep >= min_reps and server.spent > budget:
                        continue
                    elapsed, _ = _ask(client, server, query, timeout)
                    server.latencies.setdefault(query.name, []).append(elapsed)
                    server.spent += elapsed
    for server in running:
        for query in mix:
            if not server.latencies.get(query.name):
                server.latencies[query.name] = [warm[server.name, query.name]]
                server.warm_only.add(query.name)
    return {s.name: _summary(s, mix) for s in running}


def _summary(server: Server, mix: list[Query]) -> dict[str, object]:
    """Per query p50/p95; for the mix, the medians of the per-query p50s and p95s."""
    per_query = {}
    for query in mix:
        samples = sorted(server.latencies[query.name])
        per_query[query.name] = {
            "n": len(samples),
            "p50_ms": 1000 * statistics.median(samples),
            "p95_ms": 1000 * _percentile(samples, 0.95),
            "rows": server.rows[query.name],
            "warm_only": query.name in server.warm_only,
            "timed_out": query.name in server.timed_out,
        }
    return {
        "ready_s": server.ready_s,
        "settled_s": server.settled_s,
        "restarts": server.restarts,
        "rss_mb": server.rss_mb,
        "p50_ms": statistics.median(q["p50_ms"] for q in per_query.values()),
        "p95_ms": statistics.median(q["p95_ms"] for q in per_query.values()),
        "queries": per_query,
    }


def _percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    return samples[min(len(samples) - 1, max(0, round(q * len(samples) + 0.5) - 1))]


def throughput(server: Server, mix: list[Query], clients: int, seconds: float) -> float:
    """Requests per second with ``clients`` concurrent clients over ``seconds``.

    A request still running at the end of the window is abandoned and not counted: the
    rate is requests completed within the window over its length. The caller stops the
    server afterwards (rdflib-endpoint stays busy with abandoned requests).
    """
    done = [0] * clients
    start = time.perf_counter()
    stop = start + seconds
    finished = [stop] * clients

    def client_loop(k: int) -> None:
        with httpx.Client() as client:
            i = k
            while (left := stop - time.perf_counter()) > 0:
                try:
                    _ask(client, server, mix[i % len(mix)], timeout=left)
                except httpx.TimeoutException:
                    return
                done[k] += 1
                finished[k] = max(finished[k], time.perf_counter())
                i += 1

    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (max(finished) - start)
