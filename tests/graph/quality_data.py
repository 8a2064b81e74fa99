"""A small store for data-quality tests: one complete incident and one with Warnings.

``INC-26-0068`` (tests/data/shapes/valid/inc-26-0068-complete.ttl) goes into the
``curated`` graph, ``TEST-WARNED`` (tests/data/quality/warned-incident.ttl: no
contributing factor, severity unassessed) into ``aiid``; the vocabularies into
the vocab graph. Loaded directly (no import): the tests are about the report.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph import model
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.terms import to_quads
from tests.backends import fresh_store

DATA = Path(__file__).parent.parent / "data"
COMPLETE = "https://w3id.org/harmgraph/id/incident/inc-26-0068"
WARNED = "https://w3id.org/harmgraph/id/incident/test-warned"


def _load(store: Store, path: Path, graph: str) -> None:
    store.extend(to_quads(Graph().parse(path, format="turtle"), ox.NamedNode(graph)))


def quality_store() -> Store:
    """A fresh store of the active backend with the two incidents and the vocabularies."""
    store = fresh_store()
    for path in sorted((PROJECT_ROOT / "data" / "vocab").glob("*.ttl")):
        _load(store, path, str(model.VOCAB_GRAPH))
    _load(
        store,
        DATA / "shapes" / "valid" / "inc-26-0068-complete.ttl",
        str(model.named_graph("curated")),
    )
    _load(store, DATA / "quality" / "warned-incident.ttl", str(model.named_graph("aiid")))
    return store
