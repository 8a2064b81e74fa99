"""Tests of graph/network_build.py: the network computed from the store, and its cache."""

from __future__ import annotations

import pytest

from graph import io, model
from graph.ingest import import_graph
from graph.network_build import NetworkCache, build_network, outside_only, store_generation
from tests.graph.network_data import (
    CLEARVIEW,
    COMMUNITIES,
    DHS,
    GARANTE,
    ICE,
    IMMIGRATIONOS,
    INC_2017,
    INC_2026,
    INC_CLEARVIEW,
    INC_COMPAS,
    INC_OPENAI,
    OUTSIDE_FIXTURE,
    PALANTIR,
    PROPUBLICA,
    ROOT,
    UNKNOWN_DEV,
    fixture_store,
    load,
)

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")


class Accept:
    """A validator that accepts everything (the shapes are tested elsewhere)."""

    def validate(self, data: object) -> object:
        return type("Report", (), {"conforms": True, "violations": []})()

    def check(self, data: object) -> object:
        return self.validate(data)


def test_nodes_carry_kind_label_aliases_and_incident_facets() -> None:
    g = build_network(fixture_store()).graph
    assert g.nodes[ICE]["kind"] == "actor"
    assert g.nodes[ICE]["label"] == "U.S. Immigration and Customs Enforcement"
    assert "ICE" in g.nodes[ICE]["aliases"]
    assert g.nodes[IMMIGRATIONOS]["kind"] == "system"
    assert g.nodes[COMMUNITIES]["kind"] == "group"
    incident = g.nodes[INC_2026]
    assert incident["kind"] == "incident"
    assert incident["identifier"] == "INC-26-0068"
    assert (incident["date"], incident["status"], incident["severity"]) == (
        "2026",
        "confirmed",
        "high",
    )
    assert incident["patterns"] == ("PAT-PRI-003",)
    assert incident["datasets"] == ("curated",)
    assert (
        "https://rollingstone.com",
        "Palantir ImmigrationOS ICE $30M contract details",
        "Rolling Stone",
    ) in incident["sources"]


def test_unknowns_are_flagged() -> None:
    g = build_network(fixture_store()).graph
    assert g.nodes[UNKNOWN_DEV]["unknown"] is True
    assert g.nodes[UNKNOWN_DEV]["kind"] == "unknown"
    assert g.nodes[PALANTIR]["unknown"] is False


def test_edges_are_roles_and_links_never_incident_to_incident() -> None:
    g = build_network(fixture_store()).graph
    assert g.edges[PALANTIR, INC_2026]["roles"] == ("developer",)
    assert g.edges[ICE, INC_2026]["roles"] == ("deployer",)
    assert g.edges[DHS, INC_2017]["roles"] == ("implicated",)
    assert g.edges[IMMIGRATIONOS, PALANTIR]["kind"] == "system-developer"
    assert g.edges[ICE, DHS]["kind"] == "parent"
    assert g.edges[ICE, DHS]["subject"] == ICE
    assert not g.has_edge(PALANTIR, ICE)  # a shared incident is a node, not an edge


def test_datasets_are_the_named_graphs_a_node_is_in() -> None:
    store = fixture_store("curated")
    load(store, ROOT / "tests/data/network/palantir-ice.ttl", "topaithreats")
    g = build_network(store).graph
    assert g.nodes[INC_2026]["datasets"] == ("curated", "topaithreats")


def test_generation_moves_with_imports_and_with_raw_updates() -> None:
    store = fixture_store()
    first = store_generation(store)
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    assert store_generation(store).quads == first.quads + 1
    assert store_generation(store).last_import == ""


def test_cache_returns_the_same_network_until_the_store_changes() -> None:
    store, cache = fixture_store(), NetworkCache()
    first = cache.get(store)
    assert cache.get(store) is first
    falcon = io.parse(ROOT / "data/incidents/palantir-falcon-mississippi-ice-raids-2019.ttl")
    import_graph(store, falcon, graph_name="curated", source="falcon.ttl", validator=Accept())
    assert store_generation(store).last_import != ""
    rebuilt = cache.get(store)
    assert rebuilt is not first
    falcon_incident = str(model.mint("incident", "hg-2019-002"))
    assert falcon_incident in rebuilt.graph
    assert falcon_incident not in first.graph
    assert cache.get(store) is rebuilt


def test_cache_keeps_stores_apart() -> None:
    cache, a, b = NetworkCache(), fixture_store(), fixture_store()
    assert cache.get(a) is not cache.get(b)


def test_oversight_and_reporting_are_roles_outside_the_incident() -> None:
    g = build_network(fixture_store(fixture=OUTSIDE_FIXTURE)).graph
    assert g.edges[GARANTE, INC_CLEARVIEW]["roles"] == ("oversight",)
    assert g.edges[GARANTE, INC_OPENAI]["roles"] == ("oversight",)
    assert g.edges[PROPUBLICA, INC_COMPAS]["roles"] == ("reported",)
    assert outside_only(g.edges[PROPUBLICA, INC_COMPAS])
    assert not outside_only(g.edges[CLEARVIEW, INC_CLEARVIEW])
