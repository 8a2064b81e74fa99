"""Fixtures shared by tests under graph/ and api/.

``bundled_store`` is the one exception to "a fresh store per test": it holds the
whole bundled data (ontology, vocabularies, curated incidents, the AIID snapshot,
the TopAIThreats pages), which takes several seconds to build, so it is built once
per session and tests only read it (the worked examples, the editor in a browser).
Tests that write build their own store.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import model
from graph.importers.aiid import load_snapshot
from graph.importers.topaithreats import import_pages
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.terms import graph_name, to_quads

DATA = PROJECT_ROOT / "data"


def build_bundled_store() -> Store:
    """Load the bundled data into an in-memory store, one named graph per source.

    This bypasses validation and :func:`graph.ingest.import_graph` on purpose:
    the curated files are checked by tests/test_curated_data.py and the importers
    by their own tests; here only the resulting triples matter, and loading them
    directly is several times faster.
    """
    store = ox.Store()
    vocab = ox.NamedNode(str(model.VOCAB_GRAPH))
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")) + sorted(
        (DATA / "vocab").glob("*.ttl")
    ):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=vocab)
    curated = ox.NamedNode(str(model.named_graph("curated")))
    for path in sorted((DATA / "incidents").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=curated)
    aiid = load_snapshot(Path(DATA / "aiid"))
    store.extend(to_quads(aiid, graph_name(str(model.named_graph("aiid")))))
    pages = import_pages(sorted((DATA / "topaithreats").glob("*.txt")))
    store.extend(to_quads(pages, graph_name(str(model.named_graph("topaithreats")))))
    return Store(store, "memory")


@pytest.fixture(scope="session")
def bundled_store() -> Store:
    """The bundled data, built once per session; read it, never write to it."""
    return build_bundled_store()
