"""Versions of the store and of one incident: what HTTP ETags and Last-Modified are made of.

The store's version is the end time of the latest import recorded in
:data:`model.META_GRAPH` (every :func:`graph.ingest.import_graph` records one) and
the quad count: an import changes the first, a deletion or a SPARQL Update that
adds or removes quads changes the second. Both are cheap (an aggregate over the
small meta graph, and the store's length). A SPARQL Update that replaces quads
one for one leaves the version unchanged: the limit is documented in docs/api.md.

An incident's version is a hash of its description (its own quads and those of
its parts: IRIs under the incident's, and blank nodes hanging off them) in every
graph, so it changes exactly when what a client read of the incident changes.

>>> from graph.store import Store
>>> store = Store.open("memory")
>>> store_version(store)
StoreVersion(last_import=None, quads=0)
>>> store_version(store).tag
'ef12efbd765f9ad308460dc1'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph import model, queries
from graph.store import Store

#: How deep blank-node structures under an incident are followed (as in graph.ingest).
MAX_BNODE_DEPTH = 8


@dataclass(frozen=True)
class StoreVersion:
    """One state of the store, as far as caches are concerned."""

    #: When the latest recorded import ended (UTC), or None when none is recorded.
    last_import: datetime | None
    #: Quads in the store.
    quads: int

    @property
    def tag(self) -> str:
        """An opaque tag for this state (24 hex digits)."""
        stamp = self.last_import.isoformat() if self.last_import else ""
        key = f"{stamp}|{self.quads}".encode()
        return hashlib.sha256(key).hexdigest()[:24]


def store_version(store: Store) -> StoreVersion:
    """The store's current version: latest import end time and quad count.

    >>> store = Store.open("memory")
    >>> store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
    >>> store_version(store).quads
    1
    """
    rows = store.query(queries.LAST_IMPORT, named_graphs=[str(model.META_GRAPH)])
    last = None
    if isinstance(rows, ox.QuerySolutions):
        for row in rows:
            value = row["last"]
            if isinstance(value, ox.Literal) and value.value:
                last = _parse_time(value.value)
    return StoreVersion(last, store.count())


def incident_version(store: Store, iri: str) -> str | None:
    """A tag (24 hex digits) of an incident's description, or None when it is not stored.

    Blank-node labels do not count: the same description imported twice has
    the same tag.

    >>> store = Store.open("memory")
    >>> incident_version(store, "https://w3id.org/harmgraph/id/incident/x") is None
    True
    >>> store.update("INSERT DATA { GRAPH hgid:g { "
    ...              "<https://w3id.org/harmgraph/id/incident/x> a hg:Incident } }")
    >>> incident_version(store, "https://w3id.org/harmgraph/id/incident/x")
    '024d7facce3480d13d7d9ef5'
    """
    incident = URIRef(iri)
    if next(store.quads(incident, RDF.type, model.HG.Incident), None) is None:
        return None
    lines: list[str] = []
    prefix = f"{incident}/"
    seen: set[Node] = {incident}
    todo: list[tuple[Node, int]] = [(incident, 0)]
    while todo:
        node, depth = todo.pop()
        for s, p, o, g in store.quads(node):
            if g == model.META_GRAPH:
                continue
            lines.append(" ".join(_key(t) for t in (s, p, o, g)))
            follow = (isinstance(o, URIRef) and o.startswith(prefix)) or (
                isinstance(o, BNode) and depth < MAX_BNODE_DEPTH
            )
            if follow and o not in seen:
                seen.add(o)
                todo.append((o, depth + 1 if isinstance(o, BNode) else 0))
    digest = hashlib.sha256("\n".join(sorted(lines)).encode("utf-8"))
    return digest.hexdigest()[:24]


def _key(term: Node | None) -> str:
    if term is None:
        return "<>"
    if isinstance(term, BNode):
        return "_:"
    return term.n3()


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
