"""The cost of the remote store: embedded pyoxigraph vs an Oxigraph server over HTTP.

Both stores get the same data (vocabularies, ontology, registry; the AIID snapshot and
INC-26-0068 through the validated import), then the same work through the same
:class:`graph.store.Store` interface: a few example queries and a validated
re-import of one incident (INC-26-0068). Prints the median latency per task and the ratio.

    .venv/bin/python -m bench.remote [--repeat 21]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from graph import describe, io, model, queries
from graph.bundled import vocabulary_graph
from graph.importers.aiid import load_snapshot
from graph.ingest import import_graph
from graph.registry import REGISTRY_GRAPH, get_registry
from graph.settings import PROJECT_ROOT, Settings, get_settings
from graph.store import Store
from graph.terms import graph_name, to_quads
from graph.validation import get_validator
from tests.backends import OxigraphServer

INCIDENT = PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl"
IRI = "https://w3id.org/harmgraph/id/incident/inc-26-0068"
SEVERITIES = """SELECT ?sev (COUNT(?i) AS ?n) WHERE { ?i a hg:Incident ; hg:severity ?sev }
GROUP BY ?sev ORDER BY DESC(?n)"""
DEVELOPERS = """SELECT ?d (COUNT(?i) AS ?n) WHERE { ?i hg:developer ?d } GROUP BY ?d
ORDER BY DESC(?n) LIMIT 20"""


def _fill(store: Store) -> None:
    settings = get_settings()
    store.extend(to_quads(vocabulary_graph(settings), graph_name(str(model.VOCAB_GRAPH))))
    store.extend(to_quads(get_registry(settings).graph, graph_name(str(REGISTRY_GRAPH))))
    aiid = load_snapshot(PROJECT_ROOT / "data" / "aiid")
    validator = get_validator()
    import_graph(store, aiid, graph_name="aiid", source="aiid", validator=validator)
    import_graph(store, io.parse(INCIDENT), graph_name="curated", source="x", validator=validator)


def _tasks(store: Store) -> dict[str, Callable[[], object]]:
    data = io.parse(INCIDENT)
    validator = get_validator()
    return {
        "count incidents (SELECT)": lambda: list(store.select(queries.ALL_INCIDENTS)),
        "incidents per severity": lambda: list(store.select(SEVERITIES)),
        "top developers": lambda: list(store.select(DEVELOPERS)),
        "entity page data (describe)": lambda: describe.describe(store, IRI),
        "validated import of one incident": lambda: import_graph(
            store, data, graph_name="curated", source="bench", validator=validator
        ),
    }


def _measure(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = OxigraphServer(Path(tmp) / "oxigraph")
        try:
            stores = {
                "embedded": Store.open(Path(tmp) / "embedded"),
                "oxigraph-server": Store.open(server.url, Settings(store=server.url)),
            }
            results: dict[str, dict[str, list[float]]] = {}
            for name, store in stores.items():
                _fill(store)
                results[name] = {t: _measure(fn, args.repeat) for t, fn in _tasks(store).items()}
                print(f"{name}: {store.count()} quads")
            print(f"\n{'task':36s} {'embedded ms':>14s} {'remote ms':>14s} {'ratio':>6s}")
            for task in results["embedded"]:
                e = statistics.median(results["embedded"][task])
                r = statistics.median(results["oxigraph-server"][task])
                print(f"{task:36s} {e:14.2f} {r:14.2f} {r / e:6.1f}")
            for store in stores.values():
                store.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
