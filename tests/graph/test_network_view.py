"""graph/network_view.py: cap and induced give what networkx's subgraph copies gave."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.network_view import View, cap, induced


def reference_cap(
    g: nx.Graph,
    nodes: Iterable[str],
    focus: Iterable[str],
    max_nodes: int,
    *,
    distances: Mapping[str, float] | None = None,
) -> View:
    """cap as it was, with networkx subgraph copies and degrees counted in Python."""
    focus = tuple(focus)
    members = set(nodes)
    total = len(members)
    if total <= max_nodes:
        return View(g.subgraph(members).copy(), focus=focus, total_nodes=total)
    degree = {n: sum(1 for m in g.adj[n] if m in members) for n in members}
    far = float("inf")
    rank = sorted(
        (n for n in members if n not in focus),
        key=lambda n: (-degree[n], (distances or {}).get(n, far), str(n)),
    )
    room = max(max_nodes - len(focus), 0)
    kept = g.subgraph([*focus, *rank[:room]]).copy()
    kept.remove_nodes_from([n for n in list(kept) if n not in focus and kept.degree(n) == 0])
    dropped = tuple(n for n in rank if n not in kept)
    kinds = Counter(str(g.nodes[n].get("kind", "")) for n in dropped)
    return View(
        kept,
        focus=focus,
        capped=True,
        dropped=dropped,
        total_nodes=total,
        meta={"dropped_kinds": kinds},
    )


def _same_graph(got: nx.Graph, want: nx.Graph) -> None:
    assert dict(got.nodes(data=True)) == dict(want.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in got.edges(data=True)} == {
        frozenset((u, v)): d for u, v, d in want.edges(data=True)
    }
    assert got.graph == want.graph


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    names = [f"n{k}" for k in range(draw(st.integers(1, 16)))]
    g = nx.Graph(name="g")
    for n in names:
        g.add_node(n, kind=draw(st.sampled_from(("actor", "incident"))))
    for u, v in draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)))):
        g.add_edge(u, v, kind="role", weight=len(u + v))  # self-loops too
    return g


@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_cap_matches_the_subgraph_copies(g: nx.Graph, data: st.DataObject) -> None:
    names = sorted(g)
    members = data.draw(st.sets(st.sampled_from(names)))
    focus = data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    max_nodes = data.draw(st.integers(0, 12))
    distances = data.draw(st.none() | st.dictionaries(st.sampled_from(names), st.integers(0, 3)))
    nodes = members | set(focus)
    got = cap(g, nodes, focus, max_nodes, distances=distances)
    want = reference_cap(g, nodes, focus, max_nodes, distances=distances)
    assert (got.focus, got.capped, got.total_nodes) == (want.focus, want.capped, want.total_nodes)
    assert got.dropped == want.dropped
    assert got.dropped_by_kind == want.dropped_by_kind
    _same_graph(got.graph, want.graph)


@settings(max_examples=200, deadline=None)
@given(g=graphs(), data=st.data())
def test_induced_is_the_subgraph_copy(g: nx.Graph, data: st.DataObject) -> None:
    nodes = data.draw(st.lists(st.sampled_from([*sorted(g), "absent"])))
    h = induced(g, nodes)
    _same_graph(h, g.subgraph(nodes).copy())
    assert list(h) == list(dict.fromkeys(n for n in nodes if n in g))


def test_induced_copies_attributes() -> None:
    g = nx.Graph()
    g.add_edge("a", "b", roles=("developer",))
    g.add_node("a", label="A")
    h = induced(g, ["a", "b"])
    h.nodes["a"]["label"] = "changed"
    h.edges["a", "b"]["roles"] = ()
    assert g.nodes["a"]["label"] == "A"
    assert g.edges["a", "b"]["roles"] == ("developer",)
