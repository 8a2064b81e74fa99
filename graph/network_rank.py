"""How a capped view ranks its members: best-linked first, without ranking them all.

:func:`graph.network_view.cap` keeps the nodes with the most neighbours among the
view's members (ties to the nearer, then by IRI). A neighbourhood of a hub in a store
of 100,000 incidents has most of the store as members, and counting every member's
degree among them costs ~1 s. :func:`best_linked` finds the first ``k`` of that
ranking by walking the network's nodes in order of their degree in the whole graph
(memoised per graph: :attr:`graph.network_sets.Sets.by_degree`), counting a node's
degree among the members only when it is a member: a node's degree among any members
is at most its whole degree, so once the next node's whole degree is below the ``k``-th
best count found, no later node can enter the first ``k``. The result is the same as
ranking everyone (tests/graph/test_network_rank.py); when the walk would not end
early it gives up and the caller ranks everyone (:func:`rank_all`).

:class:`Dropped` is the rest of the ranking, the nodes a cap left out: the first ones
ranked (what a page or the JSON lists), the others ranked only if someone asks.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any, overload

from graph.network_sets import Sets

__all__ = ["Dropped", "best_linked", "rank_all"]


def rank_all(
    found: Sets,
    members: set[Any],
    exclude: Collection[Any],
    distances: Mapping[Any, float] | None,
) -> list[Any]:
    """Every member not in ``exclude``: most neighbours among ``members`` first, then the
    nearest (by ``distances``, missing ones last), then by IRI.

    >>> import networkx as nx
    >>> from graph.network_sets import sets
    >>> rank_all(sets(nx.star_graph(3)), {0, 1, 2, 3}, [3], None)
    [0, 1, 2]
    """
    degree = found.degrees(members)
    # Three stable sorts with keys looked up in C: by IRI, then distance, then degree.
    rank = sorted(members.difference(exclude), key=str)
    if distances:
        if isinstance(distances, dict) and distances.keys() >= members:
            rank.sort(key=distances.__getitem__)
        else:
            _by_distance(rank, distances)
    rank.sort(key=degree.__getitem__, reverse=True)
    return rank


def best_linked(
    found: Sets,
    members: set[Any],
    exclude: Collection[Any],
    k: int,
    distances: Mapping[Any, float] | None,
) -> list[Any] | None:
    """The first ``k`` of :func:`rank_all`'s ranking, or None when finding them would
    cost about as much as ranking every member (then call :func:`rank_all`).

    >>> import networkx as nx
    >>> from graph.network_sets import sets
    >>> best_linked(sets(nx.star_graph(3)), {0, 1, 2, 3}, [3], 2, None)
    [0, 1]
    """
    if k < 1:
        return []
    role, link = found.role, found.link
    order, bounds = found.by_degree
    degree: dict[Any, int] = {}
    floor: list[int] = []  # the k largest degrees found so far (a min-heap)
    budget = max(len(members) // 8, 4 * k)
    skip = frozenset(exclude)
    for n, bound in zip(order, bounds, strict=True):
        if len(floor) == k and bound < floor[0]:
            break  # no node from here on has as many neighbours among the members
        if n not in members or n in skip:
            continue
        d = len(members.intersection(role[n]))
        if n in link:
            d += len(members.intersection(link[n]))
        degree[n] = d
        if len(floor) < k:
            heapq.heappush(floor, d)
        elif d > floor[0]:
            heapq.heapreplace(floor, d)
        if len(degree) > budget:
            return None
    rank = sorted(degree, key=str)
    if distances:
        _by_distance(rank, distances)
    rank.sort(key=degree.__getitem__, reverse=True)
    return rank[:k]


def _by_distance(rank: list[Any], distances: Mapping[Any, float]) -> None:
    """Sort ``rank`` by distance (stable), nodes without one last."""
    far = float("inf")
    rank.sort(key=lambda n: distances.get(n, far))


class Dropped(Sequence[Any]):
    """The nodes a cap left out, best-linked first: the first ones already ranked, the
    rest ranked on first use of anything past them (``rest`` gives them all).

    Equal to any sequence with the same items, so a view compares with a tuple.

    >>> d = Dropped(("b", "c"), 3, lambda: ("b", "c", "d"))
    >>> len(d), d[:2], d[1], d == ("b", "c", "d")
    (3, ('b', 'c'), 'c', True)
    """

    def __init__(self, first: tuple[Any, ...], count: int, rest: Callable[[], tuple[Any, ...]]):
        self._first = first
        self._count = count
        self._rest = rest
        self._all: tuple[Any, ...] | None = first if len(first) >= count else None

    def everything(self) -> tuple[Any, ...]:
        """All the dropped nodes, ranked (ranks the rest the first time)."""
        if self._all is None:
            self._all = self._rest()
        return self._all

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, index: int | slice) -> Any:
        first = self._first
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step == 1 and stop <= len(first):
                return first[start:stop]
            return self.everything()[index]
        if 0 <= index < len(first):
            return first[index]
        return self.everything()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.everything())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Dropped):
            return self.everything() == other.everything()
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self.everything() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self._first[:5]))
        return f"Dropped({self._count} nodes: {shown}{', …' if self._count > 5 else ''})"
