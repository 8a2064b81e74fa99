"""A fresh in-memory store for linked-data tests: vocabularies, ontology and INC-26-0068.

The incident goes in through :func:`graph.ingest.import_graph` with the real
validator, as the CLI would put it; ``title`` replaces its title (the escaping
tests put markup there).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from graph import model
from graph.ingest import import_graph
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.terms import to_quads
from graph.validation import get_validator
from tests.backends import fresh_store

INCIDENT = "https://w3id.org/harmgraph/id/incident/inc-26-0068"
PALANTIR = "https://w3id.org/harmgraph/id/actor/palantir"


def loaded_store(title: str | None = None) -> Store:
    """A new store (of the active backend) holding the vocabularies, ontology and INC-26-0068."""
    store = fresh_store()
    vocab = Graph()
    for path in sorted((PROJECT_ROOT / "data" / "vocab").glob("*.ttl")):
        vocab.parse(path, format="turtle")
    vocab.parse(PROJECT_ROOT / "ontology" / "harmgraph.ttl", format="turtle")
    store.extend(to_quads(vocab, ox.NamedNode(str(model.VOCAB_GRAPH))))
    data = Graph().parse(PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl")
    if title is not None:
        data.set((URIRef(INCIDENT), DCTERMS.title, Literal(title, lang="en")))
    import_graph(
        store, data, graph_name="curated", source="inc-26-0068.ttl", validator=get_validator()
    )
    return store
