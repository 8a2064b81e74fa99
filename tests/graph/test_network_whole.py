"""graph.network.whole: the unfocused view is the one the /network route built from a filtered
subgraph view, node for node."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.network import Filters, View, allowed, cap, whole
from graph.network_build import build_network
from tests.graph.network_data import fixture_store


def reference(g: nx.Graph, filters: Filters, max_nodes: int) -> View:
    shown = nx.subgraph_view(g, filter_node=allowed(g, filters).__contains__)
    members = [n for n in shown if shown.degree(n) > 0]
    return cap(g, members, [], max_nodes)


def assert_same(got: View, want: View) -> None:
    assert (got.capped, got.total_nodes, got.dropped) == (
        want.capped,
        want.total_nodes,
        want.dropped,
    )
    assert dict(got.graph.nodes(data=True)) == dict(want.graph.nodes(data=True))
    assert {frozenset(e) for e in got.graph.edges} == {frozenset(e) for e in want.graph.edges}


@pytest.mark.parametrize("max_nodes", [300, 5])
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(include_unknown=True), Filters(date_from="2020")]
)
def test_whole_matches_the_filtered_view_on_the_fixture(filters: Filters, max_nodes: int) -> None:
    g = build_network(fixture_store()).graph
    assert_same(whole(g, filters, max_nodes=max_nodes), reference(g, filters, max_nodes))


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    names = [f"n{k}" for k in range(draw(st.integers(1, 16)))]
    g = nx.Graph()
    for n in names:
        kind = draw(st.sampled_from(("actor", "incident", "unknown")))
        g.add_node(n, kind=kind, unknown=kind == "unknown")
    edges = st.tuples(st.sampled_from(names), st.sampled_from(names), st.booleans())
    for u, v, role in draw(st.lists(edges, max_size=30)):
        g.add_edge(u, v, kind="role" if role else "parent")
    return g


@settings(max_examples=200, deadline=None)
@given(g=graphs(), unknown=st.booleans(), max_nodes=st.integers(0, 8))
def test_whole_matches_the_filtered_view(g: nx.Graph, unknown: bool, max_nodes: int) -> None:
    filters = Filters(include_unknown=unknown)
    assert_same(whole(g, filters, max_nodes=max_nodes), reference(g, filters, max_nodes))
