"""The actor--actor co-incident network: parties linked by the incidents they share.

The projection is computed from plain adjacency lists of the incident network (role
edges only, without those whose roles are all outside the incident), memoised per
network graph: a view around a focus walks out from it breadth first, party to
incident to party, and looks only at the incidents of the parties within ``hops``
(its cost grows with the neighbourhood, not with the store). Only the nodes a view
keeps become a :class:`networkx.Graph`; the rest is counted in sets.

The result is the weighted bipartite projection through the incidents the filters
accept (:func:`networkx.algorithms.bipartite.weighted_projected_graph`) cut to the
focus's ``hops`` (:func:`networkx.ego_graph`), then :func:`graph.network_view.cap`:
tests/graph/test_network_coincident.py checks that it is, node for node and edge for
edge.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import BadRequest, NotFound
from graph.network_build import outside_only
from graph.network_filters import Filters, allowed
from graph.network_view import MAX_HOPS, MAX_NODES, View

__all__ = ["co_incident"]


@dataclass(frozen=True)
class _Sides:
    """The parties a view shows and the incidents it accepts, as adjacency lists both ways.

    Only role edges that make parties share an incident: not those whose roles are all
    outside it.
    """

    #: Shown party → the accepted incidents it is a party to.
    incidents: dict[str, tuple[str, ...]]
    #: Accepted incident → its shown parties.
    parties: dict[str, tuple[str, ...]]

    def with_party(self, g: nx.Graph, party: str, ok: frozenset[str]) -> _Sides:
        """These sides with ``party`` shown too, whatever its kind (a view's focus)."""
        mine = () if party in self.incidents else tuple(_incidents_of(g, party, ok))
        if not mine:
            return self
        parties = dict(self.parties)
        for i in mine:
            parties[i] = (*parties[i], party)
        return _Sides({**self.incidents, party: mine}, parties)

    def around(self, focus: str, hops: int) -> dict[str, set[str]]:
        """Each party within ``hops`` of ``focus`` → its partners within ``hops``.

        Breadth first through incidents: a party nearer than ``hops`` has all its
        partners within ``hops``, so only the last ring's partners are intersected.
        """
        incidents, parties = self.incidents, self.parties
        partners: dict[str, set[str]] = {}
        seen = {focus}
        ring = [focus]
        for _ in range(hops):
            following: list[str] = []
            for p in ring:
                mine = partners[p] = set()
                for i in incidents.get(p, ()):
                    mine.update(parties[i])
                mine.discard(p)
                following.extend(mine - seen)
                seen |= mine
            ring = following
        for p in ring:
            mine = set()
            for i in incidents[p]:
                mine.update(parties[i])
            mine &= seen
            mine.discard(p)
            partners[p] = mine
        return partners

    def everyone(self) -> dict[str, set[str]]:
        """Every shown party to an accepted incident → its partners."""
        parties = self.parties
        partners: dict[str, set[str]] = {}
        for p, incidents in self.incidents.items():
            mine = partners[p] = set()
            for i in incidents:
                mine.update(parties[i])
            mine.discard(p)
        return partners

    def links(self, kept: Collection[str]) -> Iterator[tuple[str, str, list[str]]]:
        """Each pair of ``kept`` parties that share incidents, with the incidents, sorted."""
        incidents, parties = self.incidents, self.parties
        shared: dict[tuple[str, str], list[str]] = {}
        for u in kept:
            for i in incidents.get(u, ()):
                for v in parties[i]:
                    if u < v and v in kept:
                        shared.setdefault((u, v), []).append(i)
        for (u, v), found in shared.items():
            found.sort()
            yield u, v, found


#: Sides per network graph and filters (a few filters per graph: each is O(store)).
_SIDES: weakref.WeakKeyDictionary[nx.Graph, dict[Filters, _Sides]] = weakref.WeakKeyDictionary()
_SIDES_KEPT = 8
_LOCK = threading.Lock()


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
    With a ``focus`` party, only actors within ``hops`` of it; the cap keeps the
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
    if focus is not None and (focus not in g or g.nodes[focus]["kind"] == "incident"):
        raise NotFound(f"{focus} is not a party in the network")
    if not 1 <= hops <= MAX_HOPS:
        raise BadRequest(f"hops must be between 1 and {MAX_HOPS}, not {hops}")
    sides = _sides(g, filters)
    if focus is None:
        return _view(g, sides, sides.everyone(), (), max_nodes)
    sides = sides.with_party(g, focus, allowed(g, filters))
    return _view(g, sides, sides.around(focus, hops), (focus,), max_nodes)


def _view(
    g: nx.Graph,
    sides: _Sides,
    partners: dict[str, set[str]],
    focus: tuple[str, ...],
    max_nodes: int,
) -> View:
    """:func:`graph.network_view.cap` of the projection, which is built for the kept nodes only."""
    total = len(partners)
    if total <= max_nodes:
        return View(_graph(g, sides, partners), focus=focus, total_nodes=total)
    rank = sorted((n for n in partners if n not in focus), key=_by_partners(partners))
    chosen = {*focus, *rank[: max(max_nodes - len(focus), 0)]}
    # Nodes the cut leaves without a partner go too.
    kept = [n for n in (*focus, *rank) if n in chosen and (n in focus or partners[n] & chosen)]
    keep = set(kept)
    dropped = tuple(n for n in rank if n not in keep)
    nodes = g.nodes
    kinds = Counter(str(nodes[n].get("kind", "")) for n in dropped)
    return View(
        _graph(g, sides, kept),
        focus=focus,
        capped=True,
        dropped=dropped,
        total_nodes=total,
        meta={"dropped_kinds": kinds},
    )


def _by_partners(partners: dict[str, set[str]]) -> Callable[[str], tuple[int, str]]:
    # cap()'s order: most partners first, then by IRI (co-incident views pass no distances).
    return lambda n: (-len(partners[n]), str(n))


def _graph(g: nx.Graph, sides: _Sides, kept: Collection[str]) -> nx.Graph:
    """The projection on ``kept``: node attributes from ``g``, edges with weight and incidents."""
    nodes = g.nodes
    h = nx.Graph()
    h.add_nodes_from((n, nodes[n]) for n in kept)
    keep = set(kept)
    h.add_edges_from(
        (u, v, {"weight": len(incidents), "incidents": tuple(incidents), "kind": "co-incident"})
        for u, v, incidents in sides.links(keep)
    )
    return h


def _sides(g: nx.Graph, filters: Filters) -> _Sides:
    """The sides of the co-incident views of ``g`` under ``filters``, memoised."""
    with _LOCK:
        memo = _SIDES.setdefault(g, {})
        found = memo.get(filters)
    if found is not None:
        return found
    ok = allowed(g, filters)
    nodes = g.nodes
    kinds = filters.kinds or frozenset({"actor"})
    unknown = filters.include_unknown
    incidents: dict[str, list[str]] = {}
    parties: dict[str, tuple[str, ...]] = {}
    for i, a in nodes.items():
        if a["kind"] != "incident" or i not in ok:
            continue
        shown = []
        for p, edge in g.adj[i].items():
            b = nodes[p]
            if (unknown if b["unknown"] else b["kind"] in kinds) and _shares(edge):
                shown.append(p)
                incidents.setdefault(p, []).append(i)
        parties[i] = tuple(shown)
    found = _Sides({p: tuple(mine) for p, mine in incidents.items()}, parties)
    with _LOCK:
        if len(memo) >= _SIDES_KEPT:  # filters come from URLs: bound the memo
            memo.clear()
        memo[filters] = found
    return found


def _shares(edge: Mapping[str, Any]) -> bool:
    """Whether a role edge makes its party share the incident (not only outside it)."""
    return edge.get("kind") == "role" and not outside_only(edge)


def _incidents_of(g: nx.Graph, party: str, ok: frozenset[str]) -> Iterator[str]:
    """The accepted incidents ``party`` (of any kind) shares."""
    nodes = g.nodes
    for i, edge in g.adj[party].items():
        if i in ok and nodes[i]["kind"] == "incident" and _shares(edge):
            yield i
