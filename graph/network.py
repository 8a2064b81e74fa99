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

import threading
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress
from operator import not_

import networkx as nx

from graph.errors import BadRequest, NotFound
from graph.network_coincident import co_incident
from graph.network_filters import Filters, allowed, filtered, refused
from graph.network_rank import rank_all
from graph.network_sets import Distances, sets
from graph.network_view import MAX_HOPS, MAX_NODES, View, cap, ranked_cap

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
    "whole",
]


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
    filters = filters or Filters()
    # Distances in half-steps (a role edge is 1, a direct link 2) up to 2 * hops.
    members, rings = sets(g).rings(focus, 2 * hops, allowed(g, filters), refused(g, filters))
    return cap(g, members, [focus], max_nodes, distances=Distances(rings))


def whole(g: nx.Graph, filters: Filters | None = None, *, max_nodes: int = MAX_NODES) -> View:
    """The whole network without a focus: every node ``filters`` accept that is linked to
    another, capped at ``max_nodes`` (the best-linked).

    The same view as ``cap(g, [n for n in filtered view if its degree > 0], [], max_nodes)``.
    Which nodes are linked, their ranking and their kinds depend on the graph and the
    filters only: they are worked out once per filters (:func:`_whole`, a few kept per
    graph, like the co-incident sides) and a view costs its kept nodes.

    >>> g = nx.Graph()
    >>> g.add_node("lone", kind="actor", unknown=False)
    >>> g.add_node("i", kind="incident", unknown=False)
    >>> g.add_node("q", kind="actor", unknown=False)
    >>> g.add_edge("i", "q", kind="role")
    >>> sorted(whole(g).graph)
    ['i', 'q']
    """
    linked, ranked = _whole(g, filters or Filters())
    if len(linked) <= max_nodes:
        return cap(g, linked, [], max_nodes)
    rank, kinds = ranked()
    return ranked_cap(g, rank, kinds, max_nodes)


@dataclass
class _Whole:
    """The linked nodes under one filter set, and (once a view is capped) their ranking."""

    linked: frozenset[str]
    ranking: tuple[list[str], Counter[str]] | None = None


#: Per network graph and filters (a few filters per graph: each is O(store) to work out).
_WHOLE: weakref.WeakKeyDictionary[nx.Graph, dict[Filters, _Whole]] = weakref.WeakKeyDictionary()
_WHOLE_KEPT = 4
_LOCK = threading.Lock()


def _whole(
    g: nx.Graph, filters: Filters
) -> tuple[frozenset[str], Callable[[], tuple[list[str], Counter[str]]]]:
    """The nodes ``filters`` accept that are linked to another, and a function giving their
    ranking (:func:`graph.network_rank.rank_all`) and kind counts; both memoised."""
    with _LOCK:
        memo = _WHOLE.setdefault(g, {})
        found = memo.get(filters)
    if found is None:
        ok = allowed(g, filters)
        sets_ = sets(g)
        nodes = list(ok)
        has = map(not_, map(ok.isdisjoint, map(sets_.role.__getitem__, nodes)))
        linked = set(compress(nodes, has))
        linked.update(n for n in ok.intersection(sets_.link) if not ok.isdisjoint(sets_.link[n]))
        found = _Whole(frozenset(linked))
        with _LOCK:
            if len(memo) >= _WHOLE_KEPT:  # filters come from URLs: bound the memo
                memo.clear()
            memo[filters] = found
    entry = found

    def ranked() -> tuple[list[str], Counter[str]]:
        if entry.ranking is None:
            members = set(entry.linked)
            sets_ = sets(g)
            entry.ranking = (rank_all(sets_, members, (), None), sets_.count_kinds(members))
        return entry.ranking

    return entry.linked, ranked
