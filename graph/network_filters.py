"""Filters of network views: which incidents and parties a view shows.

:class:`Filters` is hashable, so :func:`allowed` memoises, per network graph and
filter, the set of nodes that pass (a view of the full network then costs set
lookups, not attribute checks).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import BadRequest
from graph.network_build import PARTY_KINDS, notation


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(notation(v.strip()) for v in values if v.strip())


@dataclass(frozen=True)
class Filters:
    """What a view shows. Empty sets mean "no restriction".

    Values are concept notations (``high``, ``PAT-PRI-003``, ``US``, ``curated``) or the
    concepts' IRIs. ``kinds`` restricts party kinds (``actor``, ``system``, ``group``);
    incidents are always kept (they are the links). ``date_from``/``date_to`` are ISO
    prefixes (``2019``, ``2019-05``, ``2019-05-01``); an incident matches when its dates
    overlap the range. ``datasets`` are named-graph names. ``regions`` and ``patterns``
    match broader concepts too (``north-america`` matches an incident in ``US``).

    >>> Filters(severities={"https://w3id.org/harmgraph/vocab/severity/high"}).severities
    frozenset({'high'})
    """

    kinds: frozenset[str] = frozenset()
    date_from: str = ""
    date_to: str = ""
    patterns: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    datasets: frozenset[str] = frozenset()
    include_unknown: bool = False

    def __post_init__(self) -> None:
        for name in ("patterns", "domains", "severities", "statuses", "regions", "datasets"):
            object.__setattr__(self, name, _names(getattr(self, name)))
        kinds = frozenset(self.kinds)
        if kinds - set(PARTY_KINDS):
            raise BadRequest(f"unknown entity types: {', '.join(sorted(kinds - set(PARTY_KINDS)))}")
        object.__setattr__(self, "kinds", kinds)

    def accepts(self, attrs: Mapping[str, Any]) -> bool:
        """Whether a node with these attributes is in the view.

        >>> Filters(statuses={"confirmed"}).accepts({"kind": "incident", "status": "alleged"})
        False
        """
        kind = attrs.get("kind")
        if kind != "incident":
            if attrs.get("unknown") and not self.include_unknown:
                return False
            return not self.kinds or kind in self.kinds or (kind == "unknown")
        return self._accepts_incident(attrs)

    def _accepts_incident(self, a: Mapping[str, Any]) -> bool:
        for wanted, value in (
            (self.severities, a.get("severity", "")),
            (self.statuses, a.get("status", "")),
        ):
            if wanted and value not in wanted:
                return False
        for wanted, values in (
            (self.patterns, a.get("patterns", ())),
            (self.domains, a.get("domains", ())),
            (self.regions, a.get("regions", ())),
            (self.datasets, a.get("datasets", ())),
        ):
            if wanted and wanted.isdisjoint(values):
                return False
        if self.date_from or self.date_to:
            first, last = a.get("date", ""), a.get("date_end", "") or a.get("date", "")
            if not first:
                return False
            if self.date_from and _end(last) < _start(self.date_from):
                return False
            if self.date_to and _start(first) > _end(self.date_to):
                return False
        return True


def _start(date: str) -> str:
    return date + "-01-01"[len(date) - 4 :] if len(date) < 10 else date[:10]


def _end(date: str) -> str:
    return date + "-12-31"[len(date) - 4 :] if len(date) < 10 else date[:10]


def filtered(g: nx.Graph, filters: Filters, keep: Iterable[str] = ()) -> nx.Graph:
    """A read-only view of ``g`` with the nodes ``filters`` accept (and ``keep``).

    >>> g = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(g, {"a": "actor", "b": "actor"}, "kind")
    >>> nx.set_node_attributes(g, {"a": False, "b": True}, "unknown")
    >>> list(filtered(g, Filters()))
    ['a']
    """
    kept = frozenset(keep)
    nodes = g.nodes
    return nx.subgraph_view(g, filter_node=lambda n: n in kept or filters.accepts(nodes[n]))


_MEMO: weakref.WeakKeyDictionary[nx.Graph, dict[Filters, frozenset[str]]] = (
    weakref.WeakKeyDictionary()
)
_MEMO_LOCK = threading.Lock()


def allowed(g: nx.Graph, filters: Filters) -> frozenset[str]:
    """The nodes of ``g`` that ``filters`` accept, memoised per graph and filter.

    >>> g = nx.Graph()
    >>> g.add_node("a", kind="actor", unknown=False)
    >>> g.add_node("u", kind="unknown", unknown=True)
    >>> sorted(allowed(g, Filters())), sorted(allowed(g, Filters(include_unknown=True)))
    (['a'], ['a', 'u'])
    """
    with _MEMO_LOCK:
        memo = _MEMO.setdefault(g, {})
        found = memo.get(filters)
    if found is None:
        found = frozenset(n for n, a in g.nodes.items() if filters.accepts(a))
        with _MEMO_LOCK:
            if len(memo) > 64:  # filters come from URLs: bound the memo
                memo.clear()
            memo[filters] = found
    return found


_REFUSED: weakref.WeakKeyDictionary[nx.Graph, dict[Filters, frozenset[str]]] = (
    weakref.WeakKeyDictionary()
)


def refused(g: nx.Graph, filters: Filters) -> frozenset[str]:
    """The nodes of ``g`` that ``filters`` refuse (the others than :func:`allowed`), memoised.

    Few, without filters (the unknown parties): a walk takes them out of a ring more
    cheaply than it intersects the ring with the many allowed ones.

    >>> g = nx.Graph()
    >>> g.add_node("a", kind="actor", unknown=False)
    >>> g.add_node("u", kind="unknown", unknown=True)
    >>> sorted(refused(g, Filters()))
    ['u']
    """
    with _MEMO_LOCK:
        memo = _REFUSED.setdefault(g, {})
        found = memo.get(filters)
    if found is None:
        found = frozenset(g).difference(allowed(g, filters))
        with _MEMO_LOCK:
            if len(memo) > 64:  # filters come from URLs: bound the memo
                memo.clear()
            memo[filters] = found
    return found
