"""Tests of graph/network.py: neighbourhoods, filters, caps and the co-incident network."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import BadRequest, NotFound
from graph.network import Filters, co_incident, neighbourhood
from graph.network_build import build_network
from tests.graph.network_data import (
    DHS,
    FIXTURE,
    ICE,
    ICM,
    IMMIGRATIONOS,
    INC_2017,
    INC_2026,
    PALANTIR,
    UNKNOWN_DEV,
    fixture_store,
    load,
)

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def g() -> nx.Graph:
    return build_network(fixture_store()).graph


def test_one_hop_reaches_co_parties_through_incidents(g: nx.Graph) -> None:
    nodes = set(neighbourhood(g, PALANTIR, hops=1).graph)
    assert {PALANTIR, INC_2026, INC_2017, ICE, DHS, IMMIGRATIONOS, ICM} <= nodes


def test_hops_widen_the_view(g: nx.Graph) -> None:
    one = set(neighbourhood(g, DHS, hops=1).graph)
    two = set(neighbourhood(g, DHS, hops=2).graph)
    assert INC_2026 not in one  # DHS is not in INC-26-0068; ICE (its child) is
    assert INC_2026 in two
    assert one < two


def test_unknowns_are_hidden_unless_asked_for(g: nx.Graph) -> None:
    assert UNKNOWN_DEV not in neighbourhood(g, ICE, hops=1).graph
    shown = neighbourhood(g, ICE, hops=1, filters=Filters(include_unknown=True)).graph
    assert UNKNOWN_DEV in shown


@pytest.mark.parametrize(
    ("filters", "kept", "gone"),
    [
        (Filters(date_from="2020"), INC_2026, INC_2017),
        (Filters(date_to="2019-12"), INC_2017, INC_2026),
        (Filters(domains={"public-services"}), INC_2017, INC_2026),
        (Filters(regions={"north-america"}), INC_2026, INC_2017),
        (Filters(statuses={"alleged"}), None, INC_2026),
        (Filters(severities={"https://w3id.org/harmgraph/vocab/severity/high"}), INC_2026, None),
        (Filters(patterns={"PAT-PRI-003"}), INC_2017, None),
        (Filters(kinds=frozenset({"actor"})), INC_2026, IMMIGRATIONOS),
    ],
)
def test_filters_change_the_neighbourhood(
    g: nx.Graph, filters: Filters, kept: str | None, gone: str | None
) -> None:
    nodes = set(neighbourhood(g, PALANTIR, hops=1, filters=filters).graph)
    assert PALANTIR in nodes
    if kept:
        assert kept in nodes
    if gone:
        assert gone not in nodes


def test_date_filter_drops_parties_reached_only_through_filtered_incidents(g: nx.Graph) -> None:
    nodes = set(neighbourhood(g, PALANTIR, hops=1, filters=Filters(date_from="2020")).graph)
    assert DHS not in nodes  # only in the 2017 incident
    assert INC_2017 not in nodes
    assert ICM in nodes  # through its developer link to Palantir, not the filtered incident


def test_cap_keeps_the_focus_and_says_what_it_dropped(g: nx.Graph) -> None:
    full = neighbourhood(g, PALANTIR, hops=2)
    capped = neighbourhood(g, PALANTIR, hops=2, max_nodes=4)
    assert not full.capped
    assert capped.capped
    assert PALANTIR in capped.graph
    assert capped.graph.number_of_nodes() <= 4
    assert capped.total_nodes == full.graph.number_of_nodes()
    assert set(capped.dropped) == set(full.graph) - set(capped.graph)
    assert sum(capped.dropped_by_kind.values()) == len(capped.dropped)
    # the best-linked nodes stay: both incidents have more links than any party but ICE
    assert {INC_2026, INC_2017} <= set(capped.graph)


def test_neighbourhood_errors(g: nx.Graph) -> None:
    with pytest.raises(NotFound):
        neighbourhood(g, "https://example.org/nobody")
    with pytest.raises(BadRequest):
        neighbourhood(g, PALANTIR, hops=4)
    with pytest.raises(BadRequest):
        Filters(kinds=frozenset({"planet"}))


def test_co_incident_weights_count_shared_incidents_and_list_them(g: nx.Graph) -> None:
    view = co_incident(g)
    p = view.graph
    assert set(p) == {PALANTIR, ICE, DHS}
    assert p.edges[PALANTIR, ICE]["weight"] == 2
    assert p.edges[PALANTIR, ICE]["incidents"] == tuple(sorted((INC_2017, INC_2026)))
    assert p.edges[PALANTIR, DHS]["weight"] == 1
    assert p.edges[PALANTIR, DHS]["incidents"] == (INC_2017,)
    assert p.nodes[ICE]["label"] == "U.S. Immigration and Customs Enforcement"


def test_co_incident_respects_filters_and_focus(g: nx.Graph) -> None:
    recent = co_incident(g, filters=Filters(date_from="2020")).graph
    assert recent.edges[PALANTIR, ICE]["weight"] == 1
    assert DHS not in recent
    focused = co_incident(g, DHS, hops=1).graph
    assert set(focused) == {DHS, PALANTIR, ICE}
    with pytest.raises(NotFound):
        co_incident(g, INC_2026)


def test_an_incident_stated_in_two_graphs_is_counted_once() -> None:
    """Oxigraph's union default graph keeps a triple once per named graph."""
    store = fixture_store("curated")
    load(store, FIXTURE, "topaithreats")
    g = build_network(store).graph
    assert g.edges[PALANTIR, INC_2026]["roles"] == ("developer",)
    p = co_incident(g).graph
    assert p.edges[PALANTIR, ICE]["weight"] == 2
    assert p.edges[PALANTIR, ICE]["incidents"] == tuple(sorted((INC_2017, INC_2026)))
