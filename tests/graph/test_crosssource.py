"""The resolved combined graph (registry + curated + AIID + TopAIThreats): one node per actor."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.model import HG, mint
from graph.names import name_key
from graph.store import Store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

CROSS_SOURCE_DEPLOYERS = """
SELECT ?deployer (COUNT(DISTINCT ?dataset) AS ?datasets) (SAMPLE(?i) AS ?one) (SAMPLE(?j) AS ?two)
WHERE {
  ?i hg:deployer ?deployer ; hg:sourceDataset ?dataset .
  ?j hg:deployer ?deployer ; hg:sourceDataset ?other .
  ?deployer a hg:Actor .
  FILTER(?dataset != ?other)
}
GROUP BY ?deployer
"""
NO_SECOND_LABEL = """
ASK { ?a a hg:Actor ; rdfs:label ?x, ?y FILTER(STR(?x) != STR(?y)) }
"""
ONE_ACTOR = {
    "ICE": [
        "ICE",
        "U.S. Immigration and Customs Enforcement",
        "Immigration and Customs Enforcement",
    ],
    "DHS": ["DHS", "United States Department of Homeland Security"],
    "OpenAI": ["OpenAI", "Open AI"],
}


def _actors_named(store: Store, names: list[str]) -> set[URIRef]:
    keys = {name_key(n) for n in names}
    found = set()
    for prop in (RDFS.label, SKOS.altLabel):
        for s, _, o, _ in store.quads(None, prop):
            named = isinstance(o, Literal) and name_key(str(o)) in keys
            if named and next(store.quads(s, RDF.type, HG.Actor), None) is not None:
                found.add(s)
    return found


@pytest.mark.parametrize("actor", sorted(ONE_ACTOR))
def test_one_node_per_actor(bundled: Store, actor: str) -> None:
    assert len(_actors_named(bundled, ONE_ACTOR[actor])) == 1


def test_no_actor_has_two_labels(bundled: Store) -> None:
    assert not bool(bundled.query(NO_SECOND_LABEL))


def test_incidents_of_different_sources_share_a_deployer(bundled: Store) -> None:
    rows = list(bundled.select(CROSS_SOURCE_DEPLOYERS))
    shared = {row["deployer"].value for row in rows if isinstance(row["deployer"], ox.NamedNode)}
    assert str(mint("actor", "us-immigration-and-customs-enforcement")) in shared
    assert str(mint("actor", "openai")) in shared


def test_merges_are_explained(bundled: Store) -> None:
    dhs = mint("actor", "us-department-of-homeland-security")
    variant = mint("actor", "united-states-department-of-homeland-security")
    assert next(bundled.quads(dhs, HG.resolvedFrom, variant), None) is not None
    rules = {str(o) for _, _, o, _ in bundled.quads(variant, HG.resolutionRule)}
    assert rules == {"aiid-slug"}
    assert next(bundled.quads(variant, RDF.type), None) is None


def test_harmed_groups_have_broader_groups(bundled: Store) -> None:
    for narrow, broad in (
        ("ice-job-applicants", "job-applicants"),
        ("tesla-drivers", "drivers"),
        ("black-patients", "black-people"),
        ("general-public-of-the-united-states", "general-public"),
    ):
        triple = (mint("group", narrow), SKOS.broader, mint("group", broad))
        assert next(bundled.quads(*triple), None) is not None, narrow
    labels = {str(o) for *_, o, _ in bundled.quads(mint("group", "job-applicants"), RDFS.label)}
    assert labels == {"Job applicants"}


def test_an_organisation_listed_as_harmed_denotes_the_actor(bundled: Store) -> None:
    triple = (mint("group", "microsoft"), HG.denotesActor, mint("actor", "microsoft"))
    assert next(bundled.quads(*triple), None) is not None
