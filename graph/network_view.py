"""What a network view is: a capped subgraph with its focus and what was left out.

:class:`View` is what :mod:`graph.network`, :mod:`graph.network_coincident` and
:mod:`graph.paths` return; :func:`cap` keeps a view readable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import filterfalse
from typing import Any

import networkx as nx

from graph.network_rank import Dropped, best_linked, rank_all
from graph.network_sets import sets

__all__ = [
    "MAX_HOPS",
    "MAX_NODES",
    "RANKED_DROPPED",
    "WALK_FROM",
    "View",
    "cap",
    "induced",
    "ranked_cap",
]

#: Hops a neighbourhood may span.
MAX_HOPS = 3
#: Default node cap of a view.
MAX_NODES = 300
#: How many of the nodes a cap left out it ranks at once (the JSON lists 100 of them).
RANKED_DROPPED = 100
#: Capped views of at least this many nodes look for their best-linked nodes without
#: ranking every member (:func:`graph.network_rank.best_linked`); smaller ones rank all.
WALK_FROM = 5_000


@dataclass
class View:
    """A subgraph to show, with what was left out to keep it readable."""

    graph: nx.Graph
    focus: tuple[str, ...] = ()
    capped: bool = False
    #: Nodes left out by the cap, highest degree first (a tuple, or a
    #: :class:`graph.network_rank.Dropped` that ranks all but the first on demand).
    dropped: Sequence[str] = ()
    #: Node count before the cap.
    total_nodes: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dropped_by_kind(self) -> dict[str, int]:
        """How many nodes of each kind the cap left out, for the view's notice."""
        kinds = self.meta.get("dropped_kinds")
        return dict(kinds) if isinstance(kinds, Counter) else {}


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
    the cut leaves isolated are dropped too. ``dropped`` lists the others in that
    order: a view of at least :data:`WALK_FROM` nodes ranks only its first
    :data:`RANKED_DROPPED` there (:func:`graph.network_rank.best_linked`) and the rest
    when they are asked for; ``dropped_by_kind`` counts them, most first.

    >>> v = cap(nx.star_graph(5), range(6), [5], 3)
    >>> v.capped, sorted(v.graph), v.dropped
    (True, [0, 1, 5], (2, 3, 4))
    """
    focus = tuple(focus)
    # A set is read as it is (the lazy ``dropped`` keeps it): callers hand over their own.
    members = nodes if type(nodes) is set else set(nodes)
    total = len(members)
    if total <= max_nodes:
        return View(induced(g, members), focus=focus, total_nodes=total)
    found = sets(g)
    room = max(max_nodes - len(focus), 0)
    wanted = room + RANKED_DROPPED
    best = best_linked(found, members, focus, wanted, distances) if total >= WALK_FROM else None
    rank: list[str] | None = None
    if best is None:
        rank = rank_all(found, members, focus, distances)
        best = rank[:wanted]
    kept = induced(g, [*focus, *best[:room]])
    kept.remove_nodes_from([n for n in list(kept) if n not in focus and kept.degree(n) == 0])
    keep = set(kept)
    first = tuple(filterfalse(keep.__contains__, best))
    count = total - len(members.intersection(focus)) - len(keep.difference(focus))

    def rest() -> tuple[str, ...]:
        ranked = rank if rank is not None else rank_all(found, members, focus, distances)
        return tuple(filterfalse(keep.__contains__, ranked))

    dropped = Dropped(first, count, rest)
    kinds = found.count_kinds(members)
    kinds.subtract(map(found.kind.__getitem__, members.intersection(focus)))
    kinds.subtract(map(found.kind.__getitem__, keep.difference(focus)))
    return View(
        kept,
        focus=focus,
        capped=True,
        dropped=dropped.everything() if rank is not None else dropped,
        total_nodes=total,
        meta={"dropped_kinds": most_first(kinds)},
    )


def ranked_cap(g: nx.Graph, rank: Sequence[str], kinds: Counter[str], max_nodes: int) -> View:
    """:func:`cap` of ``rank``'s nodes without a focus, when ``rank`` is already their order
    (:func:`graph.network_rank.rank_all`) and ``kinds`` counts them by kind: the work is
    the kept nodes' only.

    >>> from graph.network_rank import rank_all
    >>> g = nx.star_graph(5)
    >>> rank = rank_all(sets(g), set(g), [], None)
    >>> v = ranked_cap(g, rank, sets(g).count_kinds(set(g)), 3)
    >>> sorted(v.graph) == sorted(cap(g, g, [], 3).graph), tuple(v.dropped)
    (True, (3, 4, 5))
    """
    total = len(rank)
    if total <= max_nodes:
        return cap(g, rank, [], max_nodes)
    kept = induced(g, rank[:max_nodes])
    kept.remove_nodes_from([n for n in list(kept) if kept.degree(n) == 0])
    keep = set(kept)
    first = tuple(filterfalse(keep.__contains__, rank[: max_nodes + RANKED_DROPPED]))
    dropped = Dropped(first, total - len(keep), lambda: tuple(filterfalse(keep.__contains__, rank)))
    left = Counter(kinds)
    left.subtract(map(sets(g).kind.__getitem__, keep))
    return View(
        kept,
        capped=True,
        dropped=dropped,
        total_nodes=total,
        meta={"dropped_kinds": most_first(left)},
    )


def most_first(counts: Counter[str]) -> Counter[str]:
    """``counts`` without zeros, the largest first (then by name): the order a notice lists.

    >>> most_first(Counter({"actor": 2, "incident": 5, "group": 2, "system": 0}))
    Counter({'incident': 5, 'actor': 2, 'group': 2})
    """
    return Counter(dict(sorted(((k, n) for k, n in counts.items() if n > 0), key=_most)))


def _most(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def induced(g: nx.Graph, nodes: Iterable[Any]) -> nx.Graph:
    """``g.subgraph(nodes).copy()`` of a simple graph, in the order of ``nodes``.

    A subgraph view filters every neighbour of every node in Python; this intersects
    each node's neighbours with ``nodes`` in C, so a few hubs of a large network cost
    little. Node, edge and graph attributes are copied (shallow), as ``copy()`` does.

    >>> h = induced(nx.path_graph(4), [2, 1, 0, 9])
    >>> list(h), sorted(map(sorted, h.edges))
    ([2, 1, 0], [[0, 1], [1, 2]])
    """
    attrs = g.nodes
    keep = {n: None for n in nodes if n in attrs}
    h = nx.Graph()
    h.graph.update(g.graph)
    h.add_nodes_from((n, attrs[n]) for n in keep)
    adj = g.adj
    wanted = set(keep)
    for u in keep:
        wanted.discard(u)  # each edge once, from its first end
        nbrs = adj[u]
        common = wanted.intersection(nbrs)
        if u in nbrs:
            common.add(u)
        h.add_edges_from((u, v, nbrs[v]) for v in common)
    return h
