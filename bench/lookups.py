"""Point lookups only: harmgraph variants against the Oxigraph server, interleaved.

The endpoint section's mix (:mod:`bench.endpoint`) spends most of its time in the heavy
queries, where both servers are even; this narrower harness measures where they differ, the
per-request cost of a short query (``label-lookup``, ``14-incident-timeline``,
``describe-incident``), for several harmgraph servers in one interleaved run:

    python -m bench.lookups --incidents 10000 --reps 300 \\
        --variant h11=asyncio,h11 --variant httptools=uvloop,httptools \\
        --variant before=asyncio,h11,/tmp/hgep/base

A variant is ``NAME=LOOP,HTTP[,APP_DIR]``: uvicorn's ``--loop`` and ``--http`` and, optionally,
a directory holding another checkout's ``api`` and ``graph`` packages (``git archive REV api
graph | tar -x -C DIR``), served instead of this one's: the code before a change, measured
beside the code after it. Both stores are bulk-filled once with the same quads (the named
graph ``bench``) under ``--workdir`` and reused. Prints one table (per query p50 in ms and
each variant's ratio to the Oxigraph server) with the load average before and after, and
writes it with every sample to ``WORKDIR/lookups-<UTC time>.json``. Measuring starts once
every server is idle (:func:`bench.endpoint.settle`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench import endpoint
from bench.load import fill
from bench.measure import ROOT
from bench.queries import Query, load_mix
from bench.run import cached

#: The short queries of the mix: their cost is mostly the server's, not the engine's.
LOOKUPS = ("label-lookup", "14-incident-timeline", "describe-incident")


@dataclass(frozen=True)
class Variant:
    """One harmgraph server to measure: uvicorn's event loop and HTTP parser, and the code."""

    name: str
    loop: str
    http: str
    app_dir: Path | None = None

    @classmethod
    def parse(cls, spec: str) -> Variant:
        """``NAME=LOOP,HTTP[,APP_DIR]``.

        >>> Variant.parse("fast=uvloop,httptools")
        Variant(name='fast', loop='uvloop', http='httptools', app_dir=None)
        """
        name, _, rest = spec.partition("=")
        parts = rest.split(",")
        if not name or len(parts) not in (2, 3) or not all(parts):
            raise ValueError(f"a variant is NAME=LOOP,HTTP[,APP_DIR], not {spec!r}")
        return cls(name, parts[0], parts[1], Path(parts[2]) if len(parts) == 3 else None)

    def server(self, workdir: Path, data: Path) -> endpoint.Server:
        """The harmgraph server of this variant (not started)."""
        server = endpoint.server("harmgraph", workdir, data)
        server.name = f"harmgraph[{self.name}]"
        server.cmd += ["--loop", self.loop, "--http", self.http]
        if self.app_dir is not None:
            server.cmd += ["--app-dir", str(self.app_dir)]
            # The spawned query workers import api.sparql.pool from the same checkout.
            paths = [str(self.app_dir), server.env.get("PYTHONPATH", "")]
            server.env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        server.log = workdir / f"harmgraph-{self.name}-server.log"
        # Each server opens its own copy: the main process holds its store's lock.
        server.env["HARMGRAPH_STORE"] = str(self.store(workdir))
        return server

    def store(self, workdir: Path) -> Path:
        """This variant's copy of the store."""
        return workdir / f"harmgraph-store-{self.name}"


def stores(workdir: Path, data: Path, variants: list[Variant]) -> None:
    """The stores, each with the same quads: filled once, copied for every server."""
    filled, theirs = workdir / "harmgraph-store", workdir / "oxigraph-store"
    if not (filled.exists() and theirs.exists()):
        shutil.rmtree(filled, ignore_errors=True)
        shutil.rmtree(theirs, ignore_errors=True)
        fill(filled, data)
        shutil.copytree(filled, theirs)
    for variant in variants:
        if not variant.store(workdir).exists():
            shutil.copytree(filled, variant.store(workdir))


def table(summary: dict[str, dict[str, object]], queries: list[str]) -> str:
    """Per query p50 (ms) for each server, and each harmgraph server's ratio to Oxigraph's.

    >>> s = {"harmgraph[a]": {"queries": {"q": {"p50_ms": 3.0}}},
    ...      "oxigraph": {"queries": {"q": {"p50_ms": 2.0}}}}
    >>> print(table(s, ["q"]))
    | p50 ms | harmgraph[a] | oxigraph | harmgraph[a] / oxigraph |
    | --- | ---: | ---: | ---: |
    | q | 3.00 | 2.00 | 1.50 |
    | median ratio | | | 1.50 |
    """
    names = list(summary)
    ours = [n for n in names if n != "oxigraph"]

    def p50(name: str, query: str) -> float:
        per_query = summary[name]["queries"]
        assert isinstance(per_query, dict)  # noqa: S101 - bench.endpoint's summary shape
        return float(per_query[query]["p50_ms"])

    head = ["p50 ms", *names, *(f"{n} / oxigraph" for n in ours)]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    ratios: dict[str, list[float]] = {n: [] for n in ours}
    for query in queries:
        cells = [f"{p50(n, query):.2f}" for n in names]
        for n in ours:
            ratios[n].append(p50(n, query) / p50("oxigraph", query))
            cells.append(f"{ratios[n][-1]:.2f}")
        lines.append(f"| {query} | " + " | ".join(cells) + " |")
    medians = [f"{statistics.median(r):.2f}" for r in ratios.values()]
    lines.append("| median ratio | " + "| " * len(names) + " | ".join(medians) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Fill the stores, start every server, measure the lookups interleaved, print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.lookups", description=__doc__)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=300, help="requests per query per server")
    parser.add_argument("--variant", action="append", type=Variant.parse, default=[])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / "out" / "data")
    args = parser.parse_args(argv)
    variants: list[Variant] = args.variant or [Variant("default", "auto", "auto")]
    workdir: Path = args.workdir or ROOT / "bench" / "out" / f"lookups-{args.incidents}"
    workdir.mkdir(parents=True, exist_ok=True)
    data, _ = cached(args.incidents, args.seed, args.cache)
    stores(workdir, data, variants)
    mix: list[Query] = [q for q in load_mix() if q.name in LOOKUPS]
    running = [v.server(workdir, data) for v in variants]
    running.append(endpoint.server("oxigraph", workdir, data))
    try:
        for server in running:
            server.start()
        waited = endpoint.settle([s.pid for s in running])
        print(f"servers idle after {waited:.0f} s")
        load_before = os.getloadavg()
        summary = endpoint.run_mix(running, mix, args.reps, budget=float("inf"))
    finally:
        for server in running:
            server.stop()
    load_after = os.getloadavg()
    report = table(summary, [q.name for q in mix])  # type: ignore[arg-type]
    print(report)
    print(f"load average before {load_before}, after {load_after}")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    samples = {s.name: s.latencies for s in running}
    record = {"summary": summary, "samples": samples, "load": [load_before, load_after]}
    (workdir / f"lookups-{stamp}.json").write_text(json.dumps(record, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
