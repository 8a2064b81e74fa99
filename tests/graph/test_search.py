"""Tests of graph/search.py: type-ahead ranking and resolving what a user typed."""

from __future__ import annotations

import pytest

from graph.errors import BadRequest, NotFound
from graph.network_build import Network, build_network
from graph.search import EXACT, PREFIX, SearchIndex, fold, resolve
from tests.graph.network_data import (
    DHS,
    FIXTURE,
    ICE,
    ICM,
    INC_2026,
    PALANTIR,
    UNKNOWN_DEV,
    fixture_store,
    load,
)

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def network() -> Network:
    return build_network(fixture_store())


def test_acronym_finds_the_agency_first(network: Network) -> None:
    hits = network.index.search("ICE")
    assert hits[0].iri == ICE
    assert hits[0].score == EXACT
    assert hits[0].matched == "ICE"
    assert len(hits) > 1  # "ICE AI recruitment tool", titles mentioning ICE...


def test_a_name_stated_in_two_graphs_is_one_hit() -> None:
    """Oxigraph's union default graph keeps a triple once per named graph."""
    store = fixture_store("curated")
    load(store, FIXTURE, "topaithreats")
    hits = build_network(store).index.search("ic", limit=50)
    assert len(hits) == len({h.iri for h in hits}) > 1
    assert build_network(store).index.search("ICE")[0].iri == ICE


def test_prefix_finds_palantir_before_incident_titles(network: Network) -> None:
    hits = network.index.search("pal")
    assert hits[0].iri == PALANTIR
    assert hits[0].score == PREFIX


def test_case_and_accents_do_not_matter(network: Network) -> None:
    assert network.index.search("PALÁNTÏR")[0].iri == PALANTIR
    assert fold("Ünïcödé  Name!") == "unicode name"


def test_punctuation_does_not_matter(network: Network) -> None:
    assert network.index.search("us immigration")[0].iri == ICE
    assert network.index.search("U.S. Depart")[0].iri == DHS


def test_incident_identifiers(network: Network) -> None:
    assert network.index.search("INC-26-0068")[0].iri == INC_2026
    assert network.index.search("inc 26 0068")[0].iri == INC_2026


def test_kinds_and_unknowns(network: Network) -> None:
    assert all(h.kind == "system" for h in network.index.search("ic", kinds=frozenset({"system"})))
    assert UNKNOWN_DEV not in {h.iri for h in network.index.search("unknown")}
    assert UNKNOWN_DEV in {h.iri for h in network.index.search("unknown", include_unknown=True)}


def test_short_queries_match_prefixes_only(network: Network) -> None:
    assert all(h.score <= 2 for h in network.index.search("ic", limit=50))
    assert network.index.search("") == []


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        (PALANTIR, PALANTIR),
        ("hgid:actor/palantir", PALANTIR),
        ("palantir", PALANTIR),
        ("actor/us-department-of-homeland-security", DHS),
        ("Palantir Technologies", PALANTIR),
        ("ICE", ICE),
        ("DHS", DHS),
        ("ICM", ICM),
        ("  ice ", ICE),
        ("Palantir Tech", PALANTIR),
        ("INC-26-0068", INC_2026),
    ],
)
def test_resolve(network: Network, text: str, iri: str) -> None:
    assert resolve(network, text) == iri


def test_resolve_accepts_a_store_or_an_index(network: Network) -> None:
    store = fixture_store()
    assert resolve(store, "ICE") == ICE
    assert resolve(SearchIndex.build(network.graph), "ICE") == ICE


def test_resolve_refuses_what_it_cannot_find(network: Network) -> None:
    with pytest.raises(NotFound, match="did you mean"):
        resolve(network, "lantir")  # a substring only: suggested, not chosen
    with pytest.raises(NotFound):
        resolve(network, "https://w3id.org/harmgraph/id/actor/nobody")
    with pytest.raises(BadRequest):
        resolve(network, "   ")


def test_exact_is_what_search_scores_exact_in_the_same_order(network: Network) -> None:
    """resolve() takes exact() instead of scanning with search(): for every name of every
    node (and a few spellings), the same exact hits, best first."""
    index = network.index
    g = network.graph
    texts = {"", "  ", "ICE", "i.c.e.", "palantir", "nothing like this"}
    for _, a in g.nodes(data=True):
        texts.update(str(n) for n in (a.get("label"), a.get("identifier"), *a.get("aliases", ())))
    for text in sorted(texts - {"None"}):
        scanned = index.search(text, limit=10**6, include_unknown=True)
        assert index.exact(text) == [h for h in scanned if h.score == EXACT], text
