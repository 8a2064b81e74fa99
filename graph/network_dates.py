"""Nodes of a network ranked by date once, so that a page sorts a hub's incidents by lookups.

An entity page lists a party's incidents newest first and a drawn edge names the newest
of the incidents behind it. A hub of a store of 100,000 incidents is a party to tens of
thousands: sorting them by keys built per request costs more than the rest of the page.
:func:`date_rank` numbers every node of a network graph once (memoised per graph, like
the other memos of the views, which assume a graph does not change once viewed) so that
sorting by the number is sorting by the key: equal keys get equal numbers, so a stable
sort keeps the order of equal ones as sorting by the key itself does.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import networkx as nx

__all__ = ["date_rank"]

#: What a rank sorts by: ``(date, identifier)`` (entity pages) or ``(date, IRI)`` (edges).
BY = ("identifier", "iri")

_RANKS: weakref.WeakKeyDictionary[nx.Graph, dict[str, dict[Any, int]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def date_rank(g: nx.Graph, by: str = "identifier") -> dict[Any, int]:
    """Every node of ``g`` → its place in the order of ``(date, identifier)`` (or
    ``(date, IRI)`` with ``by="iri"``), oldest first; ``""`` stands for a missing value.

    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"date": "2024", "identifier": "X-2"}),
    ...                   ("b", {"date": "2020", "identifier": "X-1"}), ("c", {})])
    >>> date_rank(g)
    {'a': 2, 'b': 1, 'c': 0}
    """
    if by not in BY:
        raise ValueError(f"by is one of {BY}, not {by!r}")
    with _LOCK:
        memo = _RANKS.setdefault(g, {})
        found = memo.get(by)
    if found is not None:
        return found
    if by == "iri":
        keys = {n: (str(a.get("date", "")), n) for n, a in g.nodes.items()}
    else:
        keys = {
            n: (str(a.get("date", "")), str(a.get("identifier", ""))) for n, a in g.nodes.items()
        }
    place = {key: k for k, key in enumerate(sorted(set(keys.values())))}
    found = {n: place[key] for n, key in keys.items()}
    with _LOCK:
        memo[by] = found
    return found
