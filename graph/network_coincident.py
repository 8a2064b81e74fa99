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

import heapq
import threading
import weakref
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, filterfalse, repeat
from typing import Any

import networkx as nx

from graph.errors import BadRequest, NotFound
from graph.network_build import outside_only
from graph.network_filters import Filters, allowed
from graph.network_rank import Dropped
from graph.network_sets import sets
from graph.network_view import MAX_HOPS, MAX_NODES, RANKED_DROPPED, View, most_first

__all__ = ["co_incident", "shared_with"]


@dataclass(frozen=True)
class _Sides:
    """The parties a view shows and the incidents it accepts: who shares what with whom.

    Only role edges that make parties share an incident count: not those whose roles
    are all outside it.
    """

    #: Shown party → the accepted incidents it is a party to.
    incidents: dict[str, frozenset[str]]
    #: Accepted incident → its shown parties.
    parties: dict[str, tuple[str, ...]]
    #: Shown party → the other shown parties it shares an accepted incident with.
    partners: dict[str, frozenset[str]]

    def with_party(self, g: nx.Graph, party: str, ok: frozenset[str]) -> _Sides:
        """These sides with ``party`` shown too, whatever its kind (a view's focus)."""
        mine = frozenset() if party in self.incidents else frozenset(_incidents_of(g, party, ok))
        if not mine:
            return self
        parties = dict(self.parties)
        for i in mine:
            parties[i] = (*parties[i], party)
        theirs = frozenset().union(*map(self.parties.__getitem__, mine))
        partners = dict(self.partners)
        partners[party] = theirs
        for q in theirs:
            partners[q] = partners[q] | {party}
        return _Sides({**self.incidents, party: mine}, parties, partners)

    def around(self, focus: str, hops: int) -> dict[str, int]:
        """Each party within ``hops`` of ``focus`` → how many partners it has within ``hops``.

        Breadth first, one ring of set unions per hop: a party nearer than ``hops`` has
        all its partners within ``hops``; only the last ring's are intersected.
        """
        partners = self.partners
        seen = {focus}
        ring = {focus}
        degree: dict[str, int] = {}
        for _ in range(hops):
            degree.update(zip(ring, map(len, map(partners.get, ring, repeat(_NONE))), strict=True))
            ring = set().union(*map(partners.get, ring, repeat(_NONE)))
            ring -= seen
            seen |= ring
        last = map(seen.intersection, map(partners.__getitem__, ring))
        degree.update(zip(ring, map(len, last), strict=True))
        return degree

    def everyone(self) -> dict[str, int]:
        """Every shown party to an accepted incident → how many partners it has."""
        partners = self.partners
        return dict(zip(partners, map(len, partners.values()), strict=True))

    def links(self, kept: set[str]) -> Iterator[tuple[str, str, list[str]]]:
        """Each pair of ``kept`` parties that share incidents, with the incidents, sorted."""
        incidents, partners = self.incidents, self.partners
        for u in kept:
            mine = incidents.get(u, _NONE)
            for v in kept.intersection(partners.get(u, _NONE)):
                if u < v:  # frozenset.intersection walks the smaller of the two
                    yield u, v, sorted(mine.intersection(incidents[v]))


_NONE: frozenset[str] = frozenset()


#: Sides per network graph and filters (a few filters per graph: each is O(store)).
_SIDES: weakref.WeakKeyDictionary[nx.Graph, dict[Filters, _Sides]] = weakref.WeakKeyDictionary()
_SIDES_KEPT = 4
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


def shared_with(g: nx.Graph, party: str) -> Counter[str]:
    """How many incidents ``party`` (of any kind) shares with each other actor: the weights
    of its edges in the unfiltered co-incident network, counted from its memoised sides.

    >>> g = nx.Graph()
    >>> for n, kind in (("a", "actor"), ("b", "actor"), ("s", "system"), ("i", "incident")):
    ...     g.add_node(n, kind=kind, unknown=False)
    >>> g.add_edges_from([("a", "i"), ("b", "i"), ("s", "i")], kind="role")
    >>> shared_with(g, "a"), shared_with(g, "s")
    (Counter({'b': 1}), Counter({'a': 1, 'b': 1}))
    """
    if party not in g:
        return Counter()
    filters = Filters()
    sides = _sides(g, filters)
    mine = sides.incidents.get(party)
    if mine is None:
        mine = frozenset(_incidents_of(g, party, allowed(g, filters)))
    counts = Counter(chain.from_iterable(map(sides.parties.__getitem__, mine)))
    counts.pop(party, None)
    return counts


def _view(
    g: nx.Graph,
    sides: _Sides,
    degree: dict[str, int],
    focus: tuple[str, ...],
    max_nodes: int,
) -> View:
    """:func:`graph.network_view.cap` of the projection, which is built for the kept nodes only.

    ``degree`` holds each member's partners among the members.
    """
    total = len(degree)
    if total <= max_nodes:
        return View(_graph(g, sides, degree), focus=focus, total_nodes=total)
    # cap()'s order: most partners first, then by IRI. Only the first ones are ranked
    # here (those with at least as many partners as the last of them); the rest of the
    # dropped nodes are ranked if they are asked for.
    rest = degree.keys() - set(focus)
    room = max(max_nodes - len(focus), 0)
    wanted = room + RANKED_DROPPED
    best = list(rest)
    if len(best) > wanted:
        least = heapq.nlargest(wanted, map(degree.__getitem__, best))[-1]
        best = [n for n in best if degree[n] >= least]
    best = _ranked(best, degree)[:wanted]
    partners = sides.partners
    chosen = {*focus, *best[:room]}
    # Nodes the cut leaves without a partner go too.
    kept = [
        n
        for n in (*focus, *best[:room])
        if n in focus or not chosen.isdisjoint(partners.get(n, _NONE))
    ]
    keep = set(kept)
    count = len(rest) - len(keep.difference(focus))
    dropped = Dropped(
        tuple(filterfalse(keep.__contains__, best)),
        count,
        lambda: tuple(filterfalse(keep.__contains__, _ranked(rest, degree))),
    )
    found = sets(g)
    kinds = found.count_kinds(rest)
    kinds.subtract(map(found.kind.__getitem__, keep.difference(focus)))
    return View(
        _graph(g, sides, kept),
        focus=focus,
        capped=True,
        dropped=dropped if len(best) < len(rest) else dropped.everything(),
        total_nodes=total,
        meta={"dropped_kinds": most_first(kinds)},
    )


def _ranked(nodes: Collection[str], degree: Mapping[str, int]) -> list[str]:
    """``nodes``, most partners first, then by IRI (stable sorts with keys found in C)."""
    rank = sorted(nodes)
    rank.sort(key=degree.__getitem__, reverse=True)
    return rank


def _graph(g: nx.Graph, sides: _Sides, kept: Collection[str]) -> nx.Graph:
    """The projection on ``kept``: node attributes from ``g``, edges with weight and incidents."""
    nodes = g.nodes
    h = nx.Graph()
    h.add_nodes_from((n, nodes[n]) for n in kept)
    h.add_edges_from(
        (u, v, {"weight": len(incidents), "incidents": tuple(incidents), "kind": "co-incident"})
        for u, v, incidents in sides.links(set(kept))
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
    partners: dict[str, set[str]] = {}
    for together in parties.values():
        for p in together:
            partners.setdefault(p, set()).update(together)
    found = _Sides(
        {p: frozenset(mine) for p, mine in incidents.items()},
        parties,
        {p: frozenset(mine.difference((p,))) for p, mine in partners.items()},
    )
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
