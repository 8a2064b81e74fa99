"""Tests of graph/network_metrics.py: sizing and seeded communities.

The tests that build the network from a store run on each store backend
(tests/backends.py); the others take networkx graphs only.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import BadRequest
from graph.network_build import build_network
from graph.network_metrics import annotate, communities, sizes
from tests.graph.network_data import INC_2017, INC_2026, PALANTIR, fixture_store


@pytest.mark.usefixtures("backend")
def test_betweenness_sizes_the_broker_largest() -> None:
    g = build_network(fixture_store()).graph
    size = sizes(g, "betweenness")
    assert max(size, key=lambda n: size[n]) in {PALANTIR, INC_2026, INC_2017}
    assert size[PALANTIR] > 0


def test_degree_sizes() -> None:
    size = sizes(nx.star_graph(3), "degree")
    assert size[0] == 1.0
    assert size[1] == pytest.approx(1 / 3)


def test_approximate_betweenness_is_seeded() -> None:
    g = nx.barabasi_albert_graph(300, 2, seed=1)
    assert sizes(g, "betweenness") == sizes(g, "betweenness")  # 300 > exact limit: sampled
    assert sizes(g, "betweenness", samples=10) != sizes(g, "betweenness", samples=300)


def test_unknown_sizing_is_refused() -> None:
    with pytest.raises(BadRequest):
        sizes(nx.path_graph(2), "pagerank")


def test_louvain_communities_are_stable_and_independent_of_insertion_order() -> None:
    two_cliques = nx.barbell_graph(5, 0)
    first = communities(two_cliques)
    assert first == communities(two_cliques)
    assert first[0] == first[4] != first[5] == first[9]
    reordered = nx.Graph()
    reordered.add_nodes_from(reversed(list(two_cliques)))
    reordered.add_edges_from((v, u) for u, v in reversed(list(two_cliques.edges)))
    assert communities(reordered) == first


@pytest.mark.usefixtures("backend")
def test_annotate_sets_size_degree_and_community() -> None:
    g = build_network(fixture_store()).graph.copy()
    annotate(g, size_by="betweenness")
    for _, attrs in g.nodes(data=True):
        assert {"size", "degree", "community"} <= set(attrs)
