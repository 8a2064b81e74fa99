"""Views of the incident network: neighbourhoods and the actor co-incident network.

Pure functions over the :class:`networkx.Graph` that :mod:`graph.network_build`
makes from the store (build it with :func:`graph.network_build.get_network`).
Each returns a :class:`View`: a subgraph (node and edge attributes copied), its
focus, and whether it was capped to keep it readable, with what was dropped.

A *hop* is one step from a party to another: through an incident (two edges,
party -- incident -- party) or along a direct link (system developer, parent
organisation). Incident filters (:class:`Filters`) remove incidents before the
walk, so a neighbourhood never reaches a party through an incident the filters
exclude; explicit unknowns are hidden unless asked for.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.errors import BadRequest, NotFound
from graph.network_build import outside_only
from graph.network_filters import Filters, allowed, filtered

__all__ = [
    "MAX_HOPS",
    "MAX_NODES",
    "Filters",
    "View",
    "allowed",
    "cap",
    "co_incident",
    "filtered",
    "neighbourhood",
]

#: Hops a neighbourhood may span.
MAX_HOPS = 3
#: Default node cap of a view.
MAX_NODES = 300


@dataclass
class View:
    """A subgraph to show, with what was left out to keep it readable."""

    graph: nx.Graph
    focus: tuple[str, ...] = ()
    capped: bool = False
    #: Nodes left out by the cap, highest degree first.
    dropped: tuple[str, ...] = ()
    #: Node count before the cap.
    total_nodes: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dropped_by_kind(self) -> dict[str, int]:
        """How many nodes of each kind the cap left out, for the view's notice."""
        kinds = self.meta.get("dropped_kinds")
        return dict(kinds) if isinstance(kinds, Counter) else {}


def neighbourhood(
    g: nx.Graph,
    focus: str,
    *,
    hops: int = 1,
    filters: Filters | None = None,
    max_nodes: int = MAX_NODES,
) -> View:
    """The network within ``hops`` party-to-party steps of ``focus``, capped at ``max_nodes``.

    Raises:
        NotFound: ``focus`` is not in the network.
        BadRequest: ``hops`` is not between 1 and :data:`MAX_HOPS`.

    >>> g = nx.Graph()
    >>> g.add_node("p", kind="actor", unknown=False)
    >>> g.add_node("i", kind="incident", unknown=False)
    >>> g.add_node("q", kind="actor", unknown=False)
    >>> g.add_edges_from([("p", "i"), ("i", "q")], kind="role")
    >>> sorted(neighbourhood(g, "p").graph)
    ['i', 'p', 'q']
    """
    if focus not in g:
        raise NotFound(f"{focus} is not in the network")
    if not 1 <= hops <= MAX_HOPS:
        raise BadRequest(f"hops must be between 1 and {MAX_HOPS}, not {hops}")
    distances = _reach(g, focus, 2 * hops, allowed(g, filters or Filters()))
    return cap(g, distances, [focus], max_nodes, distances=distances)


def _reach(g: nx.Graph, focus: str, limit: int, ok: frozenset[str]) -> dict[str, int]:
    """Distances in half-steps (a role edge is 1, a direct link 2) up to ``limit``.

    A bucket queue (Dial's algorithm): weights are 1 or 2, so no heap is needed.
    """
    dist = {focus: 0}
    buckets: list[list[str]] = [[focus]] + [[] for _ in range(limit)]
    adj = _half_steps(g)
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


_ADJ: weakref.WeakKeyDictionary[nx.Graph, dict[str, list[tuple[str, int]]]] = (
    weakref.WeakKeyDictionary()
)


def _half_steps(g: nx.Graph) -> dict[str, list[tuple[str, int]]]:
    """Plain adjacency lists with half-step weights, memoised per (read-only) network graph."""
    found = _ADJ.get(g)
    if found is None:
        found = {
            n: [(m, 1 if e.get("kind") == "role" else 2) for m, e in nbrs.items()]
            for n, nbrs in g.adj.items()
        }
        _ADJ[g] = found
    return found


def cap(
    g: nx.Graph,
    nodes: Iterable[str],
    focus: Iterable[str],
    max_nodes: int,
    *,
    distances: Mapping[str, float] | None = None,
) -> View:
    """The subgraph of ``g`` on ``nodes``, keeping the focus and the best-linked nodes.

    At most ``max_nodes`` are kept: the focus, then by degree within ``nodes``, ties
    going to nodes nearer the focus, then by IRI, so a capped view is stable. Nodes
    the cut leaves isolated are dropped too.

    >>> v = cap(nx.star_graph(5), range(6), [5], 3)
    >>> v.capped, sorted(v.graph), v.dropped
    (True, [0, 1, 5], (2, 3, 4))
    """
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


def co_incident(
    g: nx.Graph,
    focus: str | None = None,
    *,
    hops: int = 1,
    filters: Filters | None = None,
    max_nodes: int = MAX_NODES,
) -> View:
    """The actor--actor network: actors linked by the incidents they share.

    A weighted bipartite projection through the incidents ``filters`` accept: edge
    ``weight`` is the number of shared incidents and ``incidents`` lists their IRIs.
    Only parties to an incident share it: an authority that acted on it or an
    organisation that reported it (:data:`graph.network_build.OUTSIDE_ROLES`) does not.
    With a ``focus`` actor, only actors within ``hops`` of it; the cap keeps the
    actors with the most co-incident partners. ``filters.kinds`` may widen "actor" to
    other party kinds (e.g. ``{"actor", "system"}``).

    Raises:
        NotFound: ``focus`` is not a party in the network.
        BadRequest: ``hops`` is not between 1 and :data:`MAX_HOPS`.

    >>> g = nx.Graph()
    >>> for n, kind in (("a", "actor"), ("b", "actor"), ("i", "incident"), ("j", "incident")):
    ...     g.add_node(n, kind=kind, unknown=False)
    >>> g.add_edges_from([("a", "i"), ("b", "i"), ("a", "j"), ("b", "j")], kind="role")
    >>> v = co_incident(g)
    >>> v.graph.edges["a", "b"]["weight"], v.graph.edges["a", "b"]["incidents"]
    (2, ('i', 'j'))
    """
    filters = filters or Filters()
    kinds = filters.kinds or frozenset({"actor"})
    if focus is not None and (focus not in g or g.nodes[focus]["kind"] == "incident"):
        raise NotFound(f"{focus} is not a party in the network")
    if not 1 <= hops <= MAX_HOPS:
        raise BadRequest(f"hops must be between 1 and {MAX_HOPS}, not {hops}")
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
    projected = nx.bipartite.weighted_projected_graph(bipartite, parties)
    for u, v, d in projected.edges(data=True):
        d["incidents"] = tuple(sorted(set(bipartite.adj[u]) & set(bipartite.adj[v])))
        d["kind"] = "co-incident"
    if focus is not None:
        if focus not in projected:
            projected.add_node(focus)
        projected = nx.ego_graph(projected, focus, radius=hops)
    for n in projected:
        projected.nodes[n].update(nodes[n])
    return cap(projected, projected, [focus] if focus is not None else [], max_nodes)
