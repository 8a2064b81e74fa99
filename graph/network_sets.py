"""A network graph as plain sets, memoised per graph, so that views of a large network run in C.

A view of a network of 100,000 incidents may reach most of it: walking networkx's
views node by node in Python costs seconds, set operations over the same nodes cost
milliseconds. :func:`sets` keeps, per graph, each node's neighbours through role edges
(one half-step: party -- incident) and through direct links (two half-steps: a
system's developer, a parent organisation), and each node's kind. Like the other
memos of the views, it assumes that a graph does not change once viewed: the networks
of :mod:`graph.network_build` never do.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from typing import Any

import networkx as nx

__all__ = ["Distances", "Sets", "sets"]


@dataclass(frozen=True)
class Sets:
    """One graph's neighbours and kinds as plain dicts of sets."""

    #: Node → its neighbours through role edges (every node has an entry).
    role: dict[Any, frozenset[Any]]
    #: Node → its neighbours through other edges (only nodes that have some).
    link: dict[Any, frozenset[Any]]
    #: Node → its ``kind`` attribute (``""`` when it has none).
    kind: dict[Any, str]

    def degrees(self, members: set[Any]) -> dict[Any, int]:
        """Each member's degree in the subgraph on ``members``.

        >>> s = sets(nx.path_graph(4))
        >>> s.degrees({0, 1, 2})
        {0: 1, 1: 2, 2: 1}
        """
        # How many members each node neighbours, counted in C over the members' neighbour
        # sets: one pass over their edges instead of one set intersection per member.
        near = Counter(chain.from_iterable(map(self.role.__getitem__, members)))
        linked = members.intersection(self.link)
        near.update(chain.from_iterable(map(self.link.__getitem__, linked)))
        nodes = list(members)
        return dict(zip(nodes, map(near.get, nodes, repeat(0)), strict=True))

    @cached_property
    def linked(self) -> frozenset[Any]:
        """The nodes that have direct links (a set, so a ring intersects the smaller side)."""
        return frozenset(self.link)

    @cached_property
    def by_kind(self) -> tuple[tuple[str, frozenset[Any]], ...]:
        """The nodes of each kind, the largest kind last (computed once per graph).

        >>> sets(nx.path_graph(2)).by_kind
        (('', frozenset({0, 1})),)
        """
        groups: dict[str, set[Any]] = {}
        for n, k in self.kind.items():
            groups.setdefault(k, set()).add(n)
        return tuple(
            (k, frozenset(nodes)) for k, nodes in sorted(groups.items(), key=lambda kn: len(kn[1]))
        )

    def count_kinds(self, members: set[Any]) -> Counter[str]:
        """How many of ``members`` (nodes of the graph) are of each kind, zeros left out:
        set intersections with each kind but the largest, which is the rest.

        >>> g = nx.Graph([("p", "i"), ("q", "i")])
        >>> nx.set_node_attributes(g, {"p": "actor", "q": "actor", "i": "incident"}, "kind")
        >>> sets(g).count_kinds({"p", "i"})
        Counter({'incident': 1, 'actor': 1})
        """
        counts: Counter[str] = Counter()
        rest = len(members)
        *smaller, largest = self.by_kind or (("", frozenset()),)
        for kind, nodes in smaller:
            n = len(members.intersection(nodes))
            if n:
                counts[kind] = n
                rest -= n
        if rest:
            counts[largest[0]] = rest
        return counts

    @cached_property
    def by_degree(self) -> tuple[list[Any], list[int]]:
        """Every node, most neighbours first, and how many it has (computed once per graph).

        A node's neighbours among any set of members are at most these:
        :func:`graph.network_rank.best_linked` walks this order to find the best-linked
        members without counting every member's.

        >>> sets(nx.star_graph(2)).by_degree
        ([0, 1, 2], [2, 1, 1])
        """
        link = self.link
        count = {n: len(nbrs) + len(link.get(n, ())) for n, nbrs in self.role.items()}
        order = sorted(count, key=count.__getitem__, reverse=True)
        return order, list(map(count.__getitem__, order))

    def reach(self, focus: Any, limit: int, ok: Collection[Any]) -> dict[Any, int]:
        """Distances from ``focus`` in half-steps (a role edge 1, a link 2) up to ``limit``,
        through nodes in ``ok`` only (:meth:`rings` as a dict).

        >>> g = nx.Graph()
        >>> g.add_edges_from([("p", "i"), ("i", "q")], kind="role")
        >>> g.add_edge("p", "r", kind="parent")
        >>> sorted(sets(g).reach("p", 2, {"i", "q", "r"}).items())
        [('i', 1), ('p', 0), ('q', 2), ('r', 2)]
        """
        dist: dict[Any, int] = {}
        for d, ring in enumerate(self.rings(focus, limit, ok)[1]):
            dist.update(dict.fromkeys(ring, d))
        return dist

    def rings(
        self, focus: Any, limit: int, ok: Collection[Any], refused: Collection[Any] | None = None
    ) -> tuple[set[Any], list[set[Any]]]:
        """The nodes within ``limit`` half-steps of ``focus`` through nodes in ``ok``, and the
        rings they form (``rings[d]``: those ``d`` half-steps away). Breadth first, one ring
        of set unions per half-step. ``refused`` (every node not in ``ok``), when given and
        smaller than a ring, is taken out of it instead of intersecting it with ``ok``.

        >>> g = nx.Graph()
        >>> g.add_edges_from([("p", "i"), ("i", "q")], kind="role")
        >>> members, rings = sets(g).rings("p", 2, {"p", "i", "q"}, refused=set())
        >>> sorted(members), [sorted(r) for r in rings]
        (['i', 'p', 'q'], [['p'], ['i'], ['q']])
        """
        role, link, linked = self.role, self.link, self.linked
        seen = {focus}
        rings: list[set[Any]] = [{focus}]
        for d in range(1, limit + 1):
            ring = set().union(*map(role.__getitem__, rings[d - 1]))
            if d >= 2:
                for n in rings[d - 2].intersection(linked):  # few nodes have direct links
                    ring |= link[n]
            ring -= seen
            if refused is not None and len(refused) < len(ring):
                ring.difference_update(refused)  # walks the refused nodes only
            else:
                ring.intersection_update(ok)
            rings.append(ring)
            seen |= ring
        return seen, rings


class Distances(Mapping[Any, int]):
    """The distance of each node of some rings (:meth:`Sets.rings`): the ring holding it.

    A view needs the distances of a few nodes (to break ties), not a dict of them all.

    >>> d = Distances([{"p"}, {"i"}, {"q", "r"}])
    >>> d["q"], d.get("x"), len(d), sorted(d)
    (2, None, 4, ['i', 'p', 'q', 'r'])
    """

    def __init__(self, rings: list[set[Any]]) -> None:
        self._rings = rings

    def __getitem__(self, node: Any) -> int:
        for d, ring in enumerate(self._rings):
            if node in ring:
                return d
        raise KeyError(node)

    def __iter__(self) -> Iterator[Any]:
        return chain.from_iterable(self._rings)

    def __len__(self) -> int:
        return sum(map(len, self._rings))


_SETS: weakref.WeakKeyDictionary[nx.Graph, Sets] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def sets(g: nx.Graph) -> Sets:
    """The neighbour sets and kinds of ``g``, memoised (``g`` must not change afterwards).

    >>> g = nx.Graph()
    >>> g.add_edge("p", "i", kind="role")
    >>> g.add_edge("p", "q", kind="parent")
    >>> s = sets(g)
    >>> sorted(s.role["p"]), sorted(s.link["p"]), s.kind["p"]
    (['i'], ['q'], '')
    """
    with _LOCK:
        found = _SETS.get(g)
    if found is not None:
        return found
    role: dict[Any, frozenset[Any]] = {}
    link: dict[Any, frozenset[Any]] = {}
    for n, nbrs in g.adj.items():
        by_role = [m for m, e in nbrs.items() if e.get("kind") == "role"]
        if len(by_role) == len(nbrs):
            role[n] = frozenset(nbrs)
        else:
            role[n] = frozenset(by_role)
            link[n] = frozenset(nbrs).difference(by_role)
    kind = {n: str(a.get("kind", "")) for n, a in g.nodes.items()}
    found = Sets(role, link, kind)
    with _LOCK:
        _SETS[g] = found
    return found
