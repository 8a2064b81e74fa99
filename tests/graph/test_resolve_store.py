"""Resolution against what the store holds: the per-key label lookup of graph/resolve.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph import model
from graph.ingest import import_graph
from graph.model import HG, mint, named_graph
from graph.names import name_key
from graph.registry import REGISTRY_GRAPH, Registry, get_registry
from graph.resolve import _StoreView, probe_tokens
from graph.store import Store
from graph.terms import graph_name, to_quads
from tests.backends import fresh_store

pytestmark = pytest.mark.usefixtures("backend")
INCIDENTS = Path(__file__).parents[2] / "data" / "incidents"
#: Labels whose keys fold case, accents, ligatures, punctuation, "U.S.", "Dept." and "&".
TRICKY = [
    "Café Analytics",
    "CAFE ANALYTICS",
    "Ｆｕｌｌｗｉｄｔｈ Corp",
    "ﬁnance bureau",
    "McDonald’s",
    "McDonald's",
    "Mc.Donalds",
    "U.S. Dept. of Labor",
    "United States Department of Labor",
    "The Levidow, Levidow & Oberman",
    "Levidow Levidow and Oberman",
    "Detroit Police Department (DPD)",
    "Entity (Israel)",
    "US Government",
    "u.k. govt",
    "Intl\tBureau",
    "Straße Labs",
    "",
]


def _old_index(store: Store) -> dict[str, set[URIRef]]:
    """The lookup before issue #6: every stored actor's labels by name key."""
    skipped = (model.META_GRAPH, model.VOCAB_GRAPH)
    index: dict[str, set[URIRef]] = {}
    for actor in {s for s, *_ in store.quads(None, RDF.type, HG.Actor)}:
        if isinstance(actor, URIRef):
            for _, _, label, g in store.quads(actor, RDFS.label):
                if g not in skipped:
                    index.setdefault(name_key(str(label)), set()).add(actor)
    return index


def _tricky_store() -> Store:
    store = fresh_store()
    data, vocab = Graph(), Graph()
    for n, label in enumerate(TRICKY):
        actor = mint("actor", f"tricky-{n}")
        data.add((actor, RDF.type, HG.Actor)).add((actor, RDFS.label, Literal(label, lang="en")))
        group = mint("group", f"tricky-{n}")  # a label, but not an actor's
        data.add((group, RDF.type, HG.HarmedGroup)).add((group, RDFS.label, Literal(label)))
        vocab.add((actor, RDFS.label, Literal(f"{label} vocabulary")))
    store.extend(to_quads(data, graph_name(str(named_graph("tricky")))))
    store.extend(to_quads(vocab, graph_name(str(model.VOCAB_GRAPH))))
    return store


def _bundled_store() -> Store:
    store = fresh_store()
    store.extend(to_quads(get_registry().graph, graph_name(str(REGISTRY_GRAPH))))
    for path in sorted(INCIDENTS.glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        store.extend(to_quads(graph, graph_name(str(named_graph(path.stem)))))
    return store


def _keys(store: Store) -> list[str]:
    labels = {str(o) for _, _, o, _ in store.quads(None, RDFS.label)}
    extra = ["no such actor", "us department", "cafe", "and", "us"]
    return sorted({name_key(label) for label in labels} | set(extra))


@pytest.mark.parametrize("make", [_tricky_store, _bundled_store], ids=["tricky", "bundled"])
def test_actors_named_finds_what_keying_every_label_found(make: object) -> None:
    store = make()  # type: ignore[operator]
    view = _StoreView(store)
    keys = _keys(store)
    assert len(keys) > 15
    index, found = _old_index(store), 0
    for key in keys:
        expected = index.get(key, set())
        assert view.actors_named(key) == expected, key
        found += bool(expected)
    assert found > 10  # the comparison is not between empty sets


def test_folded_spellings_share_one_key_in_the_store() -> None:
    view = _StoreView(_tricky_store())
    assert len(view.actors_named(name_key("cafe analytics"))) == 2
    assert len(view.actors_named(name_key("McDonalds"))) == 3
    assert len(view.actors_named(name_key("US Department of Labor"))) == 2
    assert view.actors_named(name_key("Café Analytics vocabulary")) == set()


def test_probe_token_is_never_a_word_names_are_rewritten_to() -> None:
    assert probe_tokens(name_key("U.S. Dept. of Labor")) == ["labor", "of"]
    assert probe_tokens(name_key("United Kingdom Government & International")) == []


@dataclass
class _Conforms:
    conforms: bool = True
    violations: list[str] = field(default_factory=list)


class _Accept:
    """Accepts everything: these tests are about resolution, not shapes."""

    def check(self, data: Graph) -> _Conforms:
        return _Conforms()


def _one_actor(slug: str, label: str) -> Graph:
    actor = mint("actor", slug)
    return Graph().add((actor, RDF.type, HG.Actor)).add((actor, RDFS.label, Literal(label)))


def test_a_write_sees_the_actor_the_write_before_it_added() -> None:
    store = fresh_store()
    for n, slug in enumerate(["zorblax-analytics", "zorblax-analytics-ltd"]):
        summary = import_graph(
            store,
            _one_actor(slug, "Zorblax Analytics" if n == 0 else "ZORBLAX  analytics"),
            graph_name=f"write-{n}",
            source="t",
            validator=_Accept(),
            registry=Registry(),
        )
    assert [(m.new, m.rule) for m in summary.merges] == [
        (mint("actor", "zorblax-analytics"), "store-label")
    ]
    assert next(store.quads(mint("actor", "zorblax-analytics-ltd"), RDF.type), None) is None
