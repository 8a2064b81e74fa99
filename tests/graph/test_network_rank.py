"""graph/network_rank.py: the best-linked members found by walking the degree order are the
first of the full ranking, and capped views built that way are the views ranked in full."""

from __future__ import annotations

from unittest import mock

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import network_view
from graph.network import Filters, neighbourhood, whole
from graph.network_rank import Dropped, best_linked, rank_all
from graph.network_sets import sets
from graph.network_view import cap, ranked_cap
from tests.graph.network_data import synthetic_actor, synthetic_network
from tests.graph.test_network_view import graphs, reference_cap


@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_best_linked_is_the_start_of_the_full_ranking(g: nx.Graph, data: st.DataObject) -> None:
    names = sorted(g)
    members = data.draw(st.sets(st.sampled_from(names)))
    exclude = data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    distances = data.draw(st.none() | st.dictionaries(st.sampled_from(names), st.integers(0, 3)))
    k = data.draw(st.integers(0, 20))
    found = sets(g)
    best = best_linked(found, members, exclude, k, distances)
    everyone = rank_all(found, members, exclude, distances)
    assert best is None or best == everyone[:k]


@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_a_cap_that_walks_is_the_cap_that_ranks_everyone(g: nx.Graph, data: st.DataObject) -> None:
    names = sorted(g)
    members = data.draw(st.sets(st.sampled_from(names)))
    focus = data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    max_nodes = data.draw(st.integers(0, 12))
    distances = data.draw(st.none() | st.dictionaries(st.sampled_from(names), st.integers(0, 3)))
    nodes = members | set(focus)
    with (
        mock.patch.object(network_view, "WALK_FROM", 0),
        mock.patch.object(network_view, "RANKED_DROPPED", data.draw(st.integers(0, 3))),
    ):
        got = cap(g, nodes, focus, max_nodes, distances=distances)
    want = reference_cap(g, nodes, focus, max_nodes, distances=distances)
    assert (got.focus, got.capped, got.total_nodes) == (want.focus, want.capped, want.total_nodes)
    assert len(got.dropped) == len(want.dropped)
    assert got.dropped[:2] == want.dropped[:2]
    assert got.dropped == want.dropped
    assert got.dropped_by_kind == want.dropped_by_kind
    assert dict(got.graph.nodes(data=True)) == dict(want.graph.nodes(data=True))
    assert {frozenset(e) for e in got.graph.edges} == {frozenset(e) for e in want.graph.edges}


def test_dropped_ranks_the_rest_only_when_asked() -> None:
    asked = []

    def rest() -> tuple[str, ...]:
        asked.append(True)
        return ("a", "b", "c", "d")

    d = Dropped(("a", "b"), 4, rest)
    assert (len(d), d[:2], d[0], d[-4:-2], list(d[1:1])) == (4, ("a", "b"), "a", ("a", "b"), [])
    assert not asked
    assert d[2] == "c" and d[1:] == ("b", "c", "d") and list(d) == ["a", "b", "c", "d"]
    assert asked == [True]  # ranked once
    assert d == ("a", "b", "c", "d") and d != ("a",)
    assert ("a", "b", "c", "d") == d  # noqa: SIM300 - the tuple's side asks d too
    assert Dropped(("a",), 1, rest) == ["a"]


def test_dropped_by_kind_lists_the_most_first() -> None:
    g = nx.star_graph(8)
    for n in g:
        g.nodes[n]["kind"] = "incident" if n % 3 else "actor"
    view = cap(g, range(9), [0], 2)
    counts = list(view.dropped_by_kind.values())
    assert counts == sorted(counts, reverse=True) and sum(counts) == len(view.dropped)


@pytest.fixture(scope="module")
def synthetic_graph() -> nx.Graph:
    """2,000 synthetic incidents of bench/generate.py: a hub in hundreds of them."""
    return synthetic_network(2000)


def _same(got: network_view.View, want: network_view.View) -> None:
    assert (got.capped, got.total_nodes, got.dropped_by_kind) == (
        want.capped,
        want.total_nodes,
        want.dropped_by_kind,
    )
    assert got.dropped[:100] == want.dropped[:100]
    assert got.dropped == want.dropped
    assert dict(got.graph.nodes(data=True)) == dict(want.graph.nodes(data=True))
    assert {frozenset(e) for e in got.graph.edges} == {frozenset(e) for e in want.graph.edges}


@pytest.mark.parametrize("hops", [1, 2, 3])
@pytest.mark.parametrize("focus", [0, 42])
@pytest.mark.parametrize("max_nodes", [300, 20])
def test_synthetic_neighbourhoods_walked_equal_those_ranked_in_full(
    synthetic_graph: nx.Graph, hops: int, focus: int, max_nodes: int
) -> None:
    for filters in (Filters(), Filters(date_from="2021"), Filters(kinds=frozenset({"actor"}))):
        args = (synthetic_graph, synthetic_actor(focus))
        with mock.patch.object(network_view, "WALK_FROM", 0):
            walked = neighbourhood(*args, hops=hops, filters=filters, max_nodes=max_nodes)
        with mock.patch.object(network_view, "WALK_FROM", 10**9):
            ranked = neighbourhood(*args, hops=hops, filters=filters, max_nodes=max_nodes)
        _same(walked, ranked)


@pytest.mark.parametrize("max_nodes", [300, 20])
def test_the_synthetic_whole_graph_walked_equals_it_ranked_in_full(
    synthetic_graph: nx.Graph, max_nodes: int
) -> None:
    for filters in (Filters(), Filters(include_unknown=True), Filters(statuses={"confirmed"})):
        with mock.patch.object(network_view, "WALK_FROM", 0):
            walked = whole(synthetic_graph, filters, max_nodes=max_nodes)
        with mock.patch.object(network_view, "WALK_FROM", 10**9):
            ranked = whole(synthetic_graph, filters, max_nodes=max_nodes)
        _same(walked, ranked)


def test_the_walk_ends_early_around_the_synthetic_hub(synthetic_graph: nx.Graph) -> None:
    """The case it is for: the hub's neighbourhood is found by the walk (not given up), and
    the walk looks at a small part of it."""
    found = sets(synthetic_graph)
    members = set(found.reach(synthetic_actor(0), 2, frozenset(synthetic_graph)))
    looked: list[int] = []
    original = members.intersection

    class Counting(set[str]):
        def intersection(self, *others: object) -> set[str]:  # type: ignore[override]
            looked.append(1)
            return original(*others)  # type: ignore[arg-type]

    best = best_linked(found, Counting(members), [synthetic_actor(0)], 50, None)
    assert best == rank_all(found, members, [synthetic_actor(0)], None)[:50]
    assert len(members) > 2000 and len(looked) < len(members) / 4


@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_a_ranked_cap_is_the_cap(g: nx.Graph, data: st.DataObject) -> None:
    members = data.draw(st.sets(st.sampled_from(sorted(g))))
    max_nodes = data.draw(st.integers(0, 12))
    found = sets(g)
    got = ranked_cap(g, rank_all(found, members, (), None), found.count_kinds(members), max_nodes)
    want = reference_cap(g, members, (), max_nodes)
    assert (got.capped, got.total_nodes, got.dropped) == (
        want.capped,
        want.total_nodes,
        want.dropped,
    )
    assert got.dropped_by_kind == want.dropped_by_kind
    assert dict(got.graph.nodes(data=True)) == dict(want.graph.nodes(data=True))
    assert {frozenset(e) for e in got.graph.edges} == {frozenset(e) for e in want.graph.edges}
