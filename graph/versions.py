"""Versions of the store and of one incident: what HTTP ETags and Last-Modified are made of.

The store's version is the end time of the latest activity recorded in
:data:`model.META_GRAPH`, the number of SPARQL Updates applied, and the quad
count. Every :func:`graph.ingest.import_graph` records an import activity; every
SPARQL Update through the endpoint ends with :func:`change_record` in the same
request (one transaction), which sets the end time of :data:`UPDATE_ACTIVITY` and
increments its ``schema:version``; a deletion changes the quad count. So an update
that swaps one triple for another still changes the version, in every process that
opens the store and after restarts (the record is in the store). All three are
cheap: one aggregate over the small meta graph, and the store's length.

An incident's version is a hash of its description (its own quads and those of
its parts: IRIs under the incident's, and blank nodes hanging off them) in every
graph, so it changes exactly when what a client read of the incident changes.

>>> from graph.store import Store
>>> store = Store.open("memory")
>>> store_version(store)
StoreVersion(last_import=None, quads=0, revision=0)
>>> store_version(store).tag
'ef12efbd765f9ad308460dc1'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph import model, queries
from graph.store import Store

#: How deep blank-node structures under an incident are followed (as in graph.ingest).
MAX_BNODE_DEPTH = 8
#: The ``prov:Activity`` in META_GRAPH standing for every SPARQL Update through the
#: endpoint: ``prov:endedAtTime`` is the latest one's, ``schema:version`` counts them.
UPDATE_ACTIVITY = model.import_activity("sparql-update")
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@dataclass(frozen=True)
class StoreVersion:
    """One state of the store, as far as caches are concerned."""

    #: When the latest recorded import or SPARQL Update ended (UTC), or None.
    last_import: datetime | None
    #: Quads in the store.
    quads: int
    #: SPARQL Updates applied through the endpoint (``schema:version`` of UPDATE_ACTIVITY).
    revision: int = 0

    @property
    def tag(self) -> str:
        """An opaque tag for this state (24 hex digits)."""
        stamp = self.last_import.isoformat() if self.last_import else ""
        key = f"{stamp}|{self.quads}" + (f"|{self.revision}" if self.revision else "")
        return hashlib.sha256(key.encode()).hexdigest()[:24]


def store_version(store: Store) -> StoreVersion:
    """The store's current version: latest activity's end time, updates and quad count.

    >>> store = Store.open("memory")
    >>> store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
    >>> store_version(store).quads
    1
    """
    rows = store.query(queries.STORE_STATE, named_graphs=[str(model.META_GRAPH)])
    last, revision = None, 0
    if isinstance(rows, ox.QuerySolutions):
        for row in rows:
            value, count = row["last"], row["revision"]
            if isinstance(value, ox.Literal) and value.value:
                last = _parse_time(value.value)
            if isinstance(count, ox.Literal) and count.value.isdigit():
                revision = int(count.value)
    return StoreVersion(last, revision=revision, quads=store.count())


def change_record(moment: datetime | None = None) -> str:
    """The SPARQL Update that records one change of the store, to append to an update.

    It sets :data:`UPDATE_ACTIVITY`'s end time to ``moment`` (now) and adds one to
    its ``schema:version``: :func:`store_version` changes even when the update
    before it swapped one triple for another.

    >>> store = Store.open("memory")
    >>> store.update(change_record())
    >>> store.update(change_record())
    >>> store_version(store).revision
    2
    """
    when = ox.Literal((moment or datetime.now(UTC)).isoformat(), datatype=_XSD_DATETIME)
    return queries.RECORD_CHANGE % {
        "meta": str(ox.NamedNode(str(model.META_GRAPH))),
        "activity": str(ox.NamedNode(str(UPDATE_ACTIVITY))),
        "when": str(when),
    }


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
