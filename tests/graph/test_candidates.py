"""graph/candidates.py: likely duplicate actors, read from the store in a few patterns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.candidates import find_candidates
from graph.model import HG, META_GRAPH, SCHEMA, mint, named_graph
from graph.registry import REGISTRY_GRAPH
from graph.store import Store
from graph.terms import to_ox
from tests.backends import fresh_store
from tests.graph.network_data import load

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

NEAR_DUPLICATES = Path(__file__).parents[1] / "data" / "entities" / "near-duplicates.ttl"
RIGHT = str(mint("actor", "northwind-surveillance-systems"))
WRONG = str(mint("actor", "northwind-surveilance-systems"))  # the planted misspelling
PLANTED = {RIGHT, WRONG}


def planted_pairs(store: Store) -> list[tuple[str, str]]:
    found = find_candidates(store)
    return [(str(c.a), str(c.b)) for c in found if {str(c.a), str(c.b)} == PLANTED]


def insert(store: Store, graph: URIRef, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
    quad = ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), to_ox(o), ox.NamedNode(str(graph)))
    store.extend([quad])


@pytest.fixture
def store() -> Iterator[Store]:
    with fresh_store() as st:
        load(st, NEAR_DUPLICATES, "curated")
        yield st


def test_an_actor_stated_in_two_graphs_is_one_actor(store: Store) -> None:
    """Oxigraph's union default graph keeps a triple once per named graph."""
    load(store, NEAR_DUPLICATES, "aiid")
    assert len(planted_pairs(store)) == 1
    assert all(c.a != c.b for c in find_candidates(store))
    assert len(find_candidates(store)) == len({(c.a, c.b) for c in find_candidates(store)})


def test_aliases_are_compared_and_only_labels_name_the_actor(store: Store) -> None:
    zephyr, quillon = mint("actor", "zephyr-bakeries"), mint("actor", "quillon-river-transit-board")
    alias = Literal("Quillon River Transit Board", lang="en")
    insert(store, named_graph("curated"), zephyr, SKOS.altLabel, alias)
    pair = next(c for c in find_candidates(store) if {c.a, c.b} == {zephyr, quillon})
    assert {pair.label_a, pair.label_b} == {"Zephyr Bakeries", "Quillon River Transit Board"}


def test_labels_in_the_metadata_graph_do_not_count(store: Store) -> None:
    insert(store, META_GRAPH, URIRef("urn:x:ghost"), RDF.type, HG.Actor)
    insert(store, META_GRAPH, URIRef("urn:x:ghost"), RDFS.label, Literal("Northwind Surveillance"))
    assert all("urn:x:ghost" not in (str(c.a), str(c.b)) for c in find_candidates(store))


def test_pairs_a_curator_decided_are_skipped(store: Store) -> None:
    assert len(planted_pairs(store)) == 1
    parent = (URIRef(RIGHT), SCHEMA.parentOrganization, URIRef(WRONG))
    insert(store, named_graph("curated"), *parent)
    assert planted_pairs(store) == []
    store.update("DELETE WHERE { GRAPH ?g { ?s schema:parentOrganization ?o } }")
    for iri in PLANTED:
        insert(store, REGISTRY_GRAPH, URIRef(iri), RDF.type, HG.Actor)
    assert planted_pairs(store) == []


def test_the_store_is_read_in_a_few_patterns_not_one_per_actor(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: three patterns per actor and two per pair took minutes on a server."""
    for n in range(30):
        insert(store, named_graph("curated"), mint("actor", f"a{n}"), RDF.type, HG.Actor)
        label = Literal(f"Osprey Freight Lines {n}", lang="en")
        insert(store, named_graph("curated"), mint("actor", f"a{n}"), RDFS.label, label)
    calls: list[tuple[Any, ...]] = []
    quads = store.quads

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return quads(*args, **kwargs)

    monkeypatch.setattr(store, "quads", counted)
    assert len(find_candidates(store)) > 30
    assert len(calls) <= 5
