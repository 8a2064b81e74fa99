"""graph/network_sets.py: the set-based walk and degrees give what the node-by-node ones gave."""

from __future__ import annotations

from collections import Counter

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.network_sets import sets


def reference_reach(g: nx.Graph, focus: str, limit: int, ok: frozenset[str]) -> dict[str, int]:
    """The neighbourhood walk as it was: Dial's algorithm over half-step adjacency lists."""
    adj = {
        n: [(m, 1 if e.get("kind") == "role" else 2) for m, e in nbrs.items()]
        for n, nbrs in g.adj.items()
    }
    dist = {focus: 0}
    buckets: list[list[str]] = [[focus]] + [[] for _ in range(limit)]
    for d, bucket in enumerate(buckets):
        for n in bucket:
            if dist[n] != d:
                continue
            for m, step in adj[n]:
                nd = d + step
                if nd <= limit and m in ok and nd < dist.get(m, limit + 1):
                    dist[m] = nd
                    buckets[nd].append(m)
    return dist


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    names = [f"n{k}" for k in range(draw(st.integers(1, 20)))]
    g = nx.Graph()
    g.add_nodes_from(names, kind="actor")
    edges = st.tuples(st.sampled_from(names), st.sampled_from(names), st.booleans())
    for u, v, role in draw(st.lists(edges, max_size=40)):
        g.add_edge(u, v, kind="role" if role else "parent")
    return g


@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_reach_matches_the_bucket_queue(g: nx.Graph, data: st.DataObject) -> None:
    names = sorted(g)
    focus = data.draw(st.sampled_from(names))
    ok = frozenset(data.draw(st.sets(st.sampled_from(names))))
    limit = data.draw(st.integers(0, 6))
    assert sets(g).reach(focus, limit, ok) == reference_reach(g, focus, limit, ok)


@settings(max_examples=200, deadline=None)
@given(g=graphs(), data=st.data())
def test_degrees_count_neighbours_among_the_members(g: nx.Graph, data: st.DataObject) -> None:
    members = data.draw(st.sets(st.sampled_from(sorted(g))))
    want = {n: sum(1 for m in g.adj[n] if m in members) for n in members}
    assert sets(g).degrees(members) == want


@settings(max_examples=200, deadline=None)
@given(g=graphs(), data=st.data())
def test_count_kinds_counts_the_members_kinds(g: nx.Graph, data: st.DataObject) -> None:
    kinds = data.draw(st.lists(st.sampled_from(("actor", "incident", "group")), min_size=len(g)))
    nx.set_node_attributes(g, dict(zip(sorted(g), kinds, strict=False)), "kind")
    members = data.draw(st.sets(st.sampled_from(sorted(g))))
    want = Counter(str(g.nodes[n]["kind"]) for n in members)
    assert sets(g).count_kinds(members) == want
