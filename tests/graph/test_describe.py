"""graph/describe.py: a resource's description and incoming links, by named queries."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from graph import describe
from graph.errors import NotFound
from tests.api.ld_store import INCIDENT, PALANTIR, loaded_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

ICE = "https://w3id.org/harmgraph/id/actor/us-immigration-and-customs-enforcement"


def test_incident_description_includes_parts_and_neighbour_labels_only() -> None:
    with loaded_store() as store:
        graph = describe.describe(store, INCIDENT)
    subjects = {str(s) for s in graph.subjects()}
    assert {INCIDENT + "/event/1", INCIDENT + "/outcome/1"} <= subjects
    assert INCIDENT + "/unknown/recruitment-tool-developer" in subjects
    assert graph.value(URIRef(PALANTIR), RDFS.label) is not None
    # neighbours contribute labels and types, not their other properties
    assert graph.value(URIRef(PALANTIR), SKOS.altLabel) is None


def test_incoming_links_and_counts_by_property() -> None:
    with loaded_store() as store:
        counts = describe.incoming_counts(store, ICE)
        links = describe.incoming(store, ICE)
    deployer = URIRef("https://w3id.org/harmgraph/ontology#deployer")
    assert counts[deployer] == 3  # the incident and its two systems
    incident = next(link for link in links if str(link.subject) == INCIDENT)
    assert incident.predicate == deployer
    assert incident.severity == "High"
    assert str(incident.date) == "2026"


def test_iri_with_sparql_syntax_is_a_value_not_query_text() -> None:
    with loaded_store() as store:
        hostile = INCIDENT + "> ?p ?o } #"
        assert not describe.exists(store, hostile)
        with pytest.raises(NotFound):
            describe.describe(store, hostile)
        assert not describe.exists(store, INCIDENT + " } ; DROP ALL ; #")
