"""Differential tests of graph/network_coincident.py: the co-incident view walked out from its
focus is the view the whole-store bipartite projection gives (networkx's
``weighted_projected_graph``, then ``ego_graph``, then ``cap``), node for node and edge for
edge, on the bundled data, on synthetic bench data and on random graphs."""

from __future__ import annotations

import weakref

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.network import MAX_HOPS, Filters, View, allowed, cap, co_incident
from graph.network_build import ROLES, build_network, outside_only
from graph.store import Store
from tests.graph.network_data import ICE, PALANTIR, synthetic_actor, synthetic_network


def reference(
    g: nx.Graph,
    focus: str | None = None,
    *,
    hops: int = 1,
    filters: Filters | None = None,
    max_nodes: int = 300,
) -> View:
    """The co-incident view as it was computed before: project everything, then cut."""
    filters = filters or Filters()
    projected = _projection(g, filters, focus)
    if focus is None:
        projected = projected.copy()
    elif focus in projected:
        projected = nx.ego_graph(projected, focus, radius=hops)  # a copy
    else:
        projected = nx.Graph()
        projected.add_node(focus)
    for n in projected:
        projected.nodes[n].update(g.nodes[n])
    return cap(projected, projected, [focus] if focus is not None else [], max_nodes)


_PROJECTIONS: weakref.WeakKeyDictionary[nx.Graph, dict[tuple[Filters, str | None], nx.Graph]] = (
    weakref.WeakKeyDictionary()
)


def _projection(g: nx.Graph, filters: Filters, focus: str | None) -> nx.Graph:
    """The whole projection (memoised per graph, filters and, if not shown, focus)."""
    kinds = filters.kinds or frozenset({"actor"})
    nodes = g.nodes
    if focus is not None:
        a = nodes[focus]
        if filters.include_unknown if a["unknown"] else a["kind"] in kinds:
            focus = None  # shown anyway: the projection does not depend on it
    memo = _PROJECTIONS.setdefault(g, {})
    if (filters, focus) not in memo:
        memo[filters, focus] = _project(g, filters, focus)
    return memo[filters, focus]


def _project(g: nx.Graph, filters: Filters, focus: str | None) -> nx.Graph:
    kinds = filters.kinds or frozenset({"actor"})
    nodes = g.nodes
    keep = {focus} if focus is not None else set()

    def party(n: str) -> bool:
        a = nodes[n]
        if n in keep:
            return True
        return bool(filters.include_unknown) if a["unknown"] else a["kind"] in kinds

    ok = allowed(g, filters)
    incidents = [n for n, a in nodes.items() if a["kind"] == "incident" and n in ok]
    bipartite = nx.Graph()
    for incident in incidents:
        for p, edge in g.adj[incident].items():
            if edge.get("kind") == "role" and party(p) and not outside_only(edge):
                bipartite.add_edge(incident, p)
    parties = [n for n in bipartite if nodes[n]["kind"] != "incident"]
    if not parties:  # networkx refuses to project a graph without edges
        return nx.Graph()
    projected = nx.bipartite.weighted_projected_graph(bipartite, parties)
    for u, v, d in projected.edges(data=True):
        d["incidents"] = tuple(sorted(set(bipartite.adj[u]) & set(bipartite.adj[v])))
        d["kind"] = "co-incident"
    return projected


def assert_same(got: View, want: View) -> None:
    assert got.focus == want.focus
    assert (got.capped, got.total_nodes) == (want.capped, want.total_nodes)
    assert got.dropped == want.dropped
    assert got.dropped_by_kind == want.dropped_by_kind
    assert dict(got.graph.nodes(data=True)) == dict(want.graph.nodes(data=True))
    assert _edges(got.graph) == _edges(want.graph)


def _edges(g: nx.Graph) -> dict[frozenset[str], dict[str, object]]:
    return {frozenset((u, v)): d for u, v, d in g.edges(data=True)}


def check(g: nx.Graph, focus: str | None, hops: int, filters: Filters, max_nodes: int) -> View:
    got = co_incident(g, focus, hops=hops, filters=filters, max_nodes=max_nodes)
    assert_same(got, reference(g, focus, hops=hops, filters=filters, max_nodes=max_nodes))
    return got


FILTERS = (
    Filters(),
    Filters(kinds=frozenset({"actor", "system"})),
    Filters(kinds=frozenset({"actor", "group", "system"}), include_unknown=True),
    Filters(statuses=frozenset({"confirmed"})),
    Filters(date_from="2020"),
    Filters(datasets=frozenset({"curated"})),
)


@pytest.fixture(scope="module")
def bundled_graph(bundled_store: Store) -> nx.Graph:
    return build_network(bundled_store).graph


def _foci(g: nx.Graph) -> list[str]:
    """The best-linked actor, Palantir, ICE, a system, a harmed group, an unknown party
    and an actor in no incident (when the data has them)."""
    by_kind: dict[str, list[str]] = {}
    for n, a in g.nodes.items():
        by_kind.setdefault(a["kind"], []).append(n)
    actors = sorted(by_kind.get("actor", []), key=lambda n: (-g.degree(n), n))
    foci = [actors[0], PALANTIR, ICE]
    foci += [min(by_kind[k]) for k in ("system", "group", "unknown") if by_kind.get(k)]
    foci += [n for n in actors if g.degree(n) == 0][:1]
    return [f for f in foci if f in g]


@pytest.mark.parametrize("hops", range(1, MAX_HOPS + 1))
@pytest.mark.parametrize("max_nodes", [300, 12])
def test_bundled_views_match_the_whole_projection(
    bundled_graph: nx.Graph, hops: int, max_nodes: int
) -> None:
    for filters in FILTERS:
        for focus in _foci(bundled_graph):
            check(bundled_graph, focus, hops, filters, max_nodes)


@pytest.mark.parametrize("max_nodes", [300, 40])
def test_bundled_whole_network_matches(bundled_graph: nx.Graph, max_nodes: int) -> None:
    for filters in FILTERS:
        check(bundled_graph, None, 1, filters, max_nodes)


def test_the_bundled_palantir_view_is_not_trivial(bundled_graph: nx.Graph) -> None:
    view = check(bundled_graph, PALANTIR, 2, Filters(), 300)
    assert ICE in view.graph
    assert view.graph.number_of_edges() > 10


@pytest.fixture(scope="module")
def synthetic_graph() -> nx.Graph:
    """1,500 synthetic incidents of bench/generate.py (its hub is in hundreds of them)."""
    return synthetic_network(1500)


@pytest.mark.parametrize("hops", range(1, MAX_HOPS + 1))
@pytest.mark.parametrize("focus", [0, 42, 60, 301])
def test_synthetic_views_match_the_whole_projection(
    synthetic_graph: nx.Graph, hops: int, focus: int
) -> None:
    if synthetic_actor(focus) not in synthetic_graph:
        pytest.skip("no such synthetic actor at this size")
    for filters in (Filters(), Filters(kinds=frozenset({"actor", "system"}))):
        for max_nodes in (300, 25):
            check(synthetic_graph, synthetic_actor(focus), hops, filters, max_nodes)


def test_the_synthetic_hub_view_is_capped(synthetic_graph: nx.Graph) -> None:
    view = check(synthetic_graph, synthetic_actor(0), 2, Filters(), 300)
    assert view.capped
    assert view.total_nodes > 300


def test_synthetic_whole_network_matches(synthetic_graph: nx.Graph) -> None:
    check(synthetic_graph, None, 1, Filters(), 300)
    check(synthetic_graph, None, 1, Filters(date_from="2020", date_to="2022"), 300)


def test_a_memoised_view_follows_the_filters(synthetic_graph: nx.Graph) -> None:
    """The adjacency lists are memoised per filters: another filter gives another view."""
    hub = synthetic_actor(0)
    everything = co_incident(synthetic_graph, hub, hops=1)
    recent = co_incident(synthetic_graph, hub, hops=1, filters=Filters(date_from="2023"))
    assert recent.total_nodes < everything.total_nodes
    assert co_incident(synthetic_graph, hub, hops=1).total_nodes == everything.total_nodes


def test_filters_that_accept_no_incident_give_the_focus_alone(bundled_graph: nx.Graph) -> None:
    """Regression: the whole-store projection raised NetworkXAlgorithmError (a 500) when the
    filters accepted no incident (networkx refuses to project a graph without edges)."""
    nothing = Filters(date_from="2999")
    view = co_incident(bundled_graph, PALANTIR, hops=2, filters=nothing)
    assert list(view.graph) == [PALANTIR]
    assert co_incident(bundled_graph, filters=nothing).graph.number_of_nodes() == 0


# Random graphs: parties of every kind (some unknown), incidents with random statuses,
# role edges with random roles (some only outside the incident) and direct links.
KINDS = ("actor", "system", "group", "unknown")


@st.composite
def networks(draw: st.DrawFn) -> nx.Graph:
    g = nx.Graph()
    n_parties = draw(st.integers(1, 14))
    n_incidents = draw(st.integers(0, 12))
    parties = [f"p{k}" for k in range(n_parties)]
    for p in parties:
        kind = draw(st.sampled_from(KINDS))
        g.add_node(p, kind=kind, unknown=kind == "unknown", label=p)
    for k in range(n_incidents):
        status = draw(st.sampled_from(("confirmed", "alleged")))
        g.add_node(f"i{k}", kind="incident", unknown=False, label=f"i{k}", status=status)
        members = draw(st.lists(st.sampled_from(parties), max_size=5, unique=True))
        for p in members:
            roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True))
            g.add_edge(f"i{k}", p, kind="role", roles=tuple(roles), incident=f"i{k}")
    for a, b in draw(st.lists(st.tuples(st.sampled_from(parties), st.sampled_from(parties)))):
        if a != b and not g.has_edge(a, b):
            g.add_edge(a, b, kind="parent", roles=("parent",), incident="", subject=a)
    return g


RANDOM_FILTERS = st.builds(
    Filters,
    kinds=st.frozensets(st.sampled_from(KINDS)),
    statuses=st.sampled_from([frozenset(), frozenset({"confirmed"})]),
    include_unknown=st.booleans(),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    g=networks(),
    pick=st.integers(0, 20),
    hops=st.integers(1, MAX_HOPS),
    filters=RANDOM_FILTERS,
    max_nodes=st.integers(1, 8),
)
def test_random_views_match_the_whole_projection(
    g: nx.Graph, pick: int, hops: int, filters: Filters, max_nodes: int
) -> None:
    parties = [n for n, a in g.nodes.items() if a["kind"] != "incident"]
    focus = parties[pick % len(parties)] if pick < 18 else None
    check(g, focus, hops, filters, max_nodes)
