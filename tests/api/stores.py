"""Shared helpers of the dump, VoID and write-API tests: stores and apps built per test."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from rdflib import Dataset, Graph, URIRef

from api.main import create_app
from graph.ingest import import_graph
from graph.io import parse
from graph.settings import PROJECT_ROOT, Settings
from graph.store import Store
from graph.validation import get_validator
from tests.backends import fresh_store

TOKEN = "write-token-for-tests"  # noqa: S105 - a test-only token for a throw-away app
INCIDENT = PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl"
SYNTHETIC = Path(__file__).parent.parent / "data" / "api" / "synthetic-incident.ttl"


def curated_store() -> Store:
    """A fresh store of the active backend holding INC-26-0068, imported as the CLI does."""
    store = fresh_store()
    import_graph(
        store,
        parse(INCIDENT),
        graph_name="curated",
        source=INCIDENT.name,
        validator=get_validator(),
    )
    return store


def app_for(store: Store, token: str = TOKEN) -> FastAPI:
    """The app over ``store``, with writes on when ``token`` is not empty."""
    return create_app(Settings(store="memory", write_token=token), store)


def store_dataset(store: Store) -> Dataset:
    """Everything in the store as an rdflib Dataset (graph name None: default graph)."""
    ds = Dataset()
    for s, p, o, g in store.quads():
        ds.graph(g or ds.default_graph.identifier).add((s, p, o))
    return ds


def union(data: Graph) -> Graph:
    """All triples of a Graph or Dataset as one Graph."""
    out = Graph()
    if isinstance(data, Dataset):
        for s, p, o, _ in data.quads((None, None, None, None)):
            out.add((s, p, o))
    else:
        out += data
    return out


def named(data: Dataset) -> dict[URIRef, Graph]:
    """The non-empty named graphs of a Dataset by IRI."""
    out: dict[URIRef, Graph] = {}
    for g in data.graphs():
        if len(g) and g.identifier != data.default_graph.identifier:
            out[URIRef(g.identifier)] = Graph() + g  # type: ignore[assignment]
    return out
