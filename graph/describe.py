"""What the graph says about one resource: its description and what links to it.

:func:`describe` gives a CBD-like description: the resource's own triples, those
of its parts (an incident's timeline events, outcomes and own unknowns), one
level of blank nodes, and the types and labels of everything it points to.
:func:`incoming` lists the resources that point to it. Both run named queries
from :mod:`graph.queries` with the IRI passed as a substitution.

>>> from graph.store import Store
>>> with Store.open("memory") as store:
...     store.update('INSERT DATA { <http://e/a> <http://e/p> <http://e/b> . '
...                  '<http://e/b> <http://www.w3.org/2000/01/rdf-schema#label> "B" }')
...     len(describe(store, "http://e/a")), [r.predicate for r in incoming(store, "http://e/b")]
(2, [rdflib.term.URIRef('http://e/p')])
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph import model, queries
from graph.errors import NotFound
from graph.network_build import Files, store_files
from graph.store import Store
from graph.terms import from_ox

#: Incoming links a page lists per property (the newest; the rest are paged).
INCOMING_PAGE = 20

#: The resources linking to ``?iri`` through ``?p``, newest first (then by IRI). A page
#: of them is a slice: :data:`INCOMING_RANKED` or, for a store directory, a slice of the
#: whole ranking kept until the store changes (:func:`incoming_page`). Labels, types and
#: severities are then looked up for the page only (:data:`LINK_DETAILS`).
INCOMING_ORDER = (
    queries.PROLOGUE
    + """
SELECT ?iri ?p ?s (MAX(?d) AS ?date) WHERE {
  ?s ?p ?iri . FILTER(!isBlank(?s))
  OPTIONAL { ?s dcterms:date ?d }
} GROUP BY ?iri ?p ?s ORDER BY DESC(?date) ?s
"""
)
#: A page of :data:`INCOMING_ORDER` (LIMIT and OFFSET are integers :func:`incoming_page`
#: formats in, as SPARQL binds none).
INCOMING_RANKED = INCOMING_ORDER + "LIMIT {limit} OFFSET {offset}\n"
#: How many rankings of a hub's links (and counts) a store directory keeps: a ranking
#: reads every link (1.4 s for 30,000 at 100,000 incidents), a page of it then costs
#: only its labels.
RANKINGS_KEPT = 8
COUNTS_KEPT = 64
#: The label, type and severity of one linking resource ``?s``.
LINK_DETAILS = (
    queries.PROLOGUE
    + """
SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (SAMPLE(?sevLabel) AS ?severity) WHERE {
  OPTIONAL { ?s dcterms:title|rdfs:label|skos:prefLabel ?l }
  OPTIONAL { ?s a ?t }
  OPTIONAL { ?s hg:severity/skos:prefLabel ?sevLabel }
} GROUP BY ?s
"""
)


@dataclass(frozen=True)
class Link:
    """A resource that links to the described one, through ``predicate``."""

    subject: URIRef
    predicate: URIRef
    label: str | None
    type: URIRef | None
    date: Literal | None
    severity: str | None


def exists(store: Store, iri: str) -> bool:
    """Whether ``iri`` is the subject of a triple in the store.

    >>> exists(Store.open("memory"), "http://e/a")
    False
    """
    try:
        node = _node(iri)
    except NotFound:
        return False
    return bool(store.query(queries.EXISTS, substitutions={"iri": node}))


def describe(store: Store, iri: str) -> Graph:
    """The description of ``iri`` (empty when the store says nothing about it).

    >>> len(describe(Store.open("memory"), "http://e/a"))
    0
    """
    graph = Graph()
    for prefix, namespace in model.PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    node = _node(iri)
    parts = store.select(queries.PARTS, substitutions={"iri": node})
    subjects: list[Node] = [URIRef(iri), *(from_ox(row["part"]) for row in parts)]
    for subject in subjects:
        triples = store.query(queries.DESCRIBE, substitutions={"s": subject})
        if not isinstance(triples, ox.QueryTriples):
            raise TypeError("a CONSTRUCT query gives triples")
        for t in triples:
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return graph


def incoming_counts(store: Store, iri: str) -> dict[URIRef, int]:
    """How many resources link to ``iri``, per property (kept until the store directory
    changes, as :func:`incoming_page` keeps its rankings).

    >>> incoming_counts(Store.open("memory"), "http://e/a")
    {}
    """
    node = _node(iri)

    def count() -> dict[URIRef, int]:
        rows = store.select(queries.INCOMING_COUNTS, substitutions={"iri": node})
        return {URIRef(_value(r["p"])): int(_value(r["n"])) for r in rows}

    found = _kept(store, ("counts", iri), COUNTS_KEPT, count)
    return dict(found) if found is not None else count()


def incoming(store: Store, iri: str) -> list[Link]:
    """Resources that link to ``iri`` (at most 1000), grouped by property, newest first.

    >>> incoming(Store.open("memory"), "http://e/a")
    []
    """
    return _links(store.select(queries.INCOMING, substitutions={"iri": _node(iri)}))


def incoming_page(
    store: Store, iri: str, predicate: str, *, limit: int = INCOMING_PAGE, offset: int = 0
) -> list[Link]:
    """Up to ``limit`` resources linking to ``iri`` through ``predicate``, newest first
    (then by IRI), skipping the first ``offset``; :func:`incoming_counts` counts them all.

    >>> with Store.open("memory") as store:
    ...     store.update('INSERT DATA { <http://e/a> <http://e/p> <http://e/c> . '
    ...                  '<http://e/b> <http://e/p> <http://e/c> }')
    ...     [str(r.subject) for r in incoming_page(store, "http://e/c", "http://e/p", limit=1)]
    ['http://e/a']
    """
    limit, offset = max(int(limit), 0), max(int(offset), 0)
    subs = {"iri": _node(iri), "p": _node(predicate)}

    def rank() -> list[tuple[Any, Any]]:
        return [(row["s"], row["date"]) for row in store.select(INCOMING_ORDER, substitutions=subs)]

    ranked = _kept(store, ("links", iri, predicate), RANKINGS_KEPT, rank)
    if ranked is None:
        query = INCOMING_RANKED.replace("{limit}", str(limit)).replace("{offset}", str(offset))
        page = [(row["s"], row["date"]) for row in store.select(query, substitutions=subs)]
    else:
        page = ranked[offset : offset + limit]
    links = []
    for subject, found in page:
        details = next(iter(store.select(LINK_DETAILS, substitutions={"s": subject})), None)
        label, kind, severity = (
            _term(details[v]) if details is not None else None
            for v in ("label", "type", "severity")
        )
        date = _term(found)
        links.append(
            Link(
                subject=URIRef(_value(subject)),
                predicate=URIRef(predicate),
                label=str(label) if label is not None else None,
                type=kind if isinstance(kind, URIRef) else None,
                date=date if isinstance(date, Literal) else None,
                severity=str(severity) if severity is not None else None,
            )
        )
    return links


class _Kept:
    """What one store directory's link rankings and counts were when its files were ``files``."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.found: dict[tuple[str, ...], OrderedDict[tuple[str, ...], Any]] = {}


_KEPT: weakref.WeakKeyDictionary[Store, _Kept] = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()
_T = TypeVar("_T")


def _kept(store: Store, key: tuple[str, ...], size: int, compute: Callable[[], _T]) -> _T | None:
    """``compute()``, kept per store directory until its files change (as
    :class:`graph.network_build.NetworkCache` keeps a network), the ``size`` last used
    of its kind; None for a store in memory or on a server, which keep nothing."""
    files = store_files(store)
    if files is None:
        return None
    with _KEPT_LOCK:
        kept = _KEPT.get(store)
        if kept is None or kept.files != files:
            kept = _KEPT[store] = _Kept(files)
        per_kind = kept.found.setdefault(key[:1], OrderedDict())
        if key in per_kind:
            per_kind.move_to_end(key)
            found: _T = per_kind[key]
            return found
    # Files first, then the query: a write in between makes the next look see a change.
    value = compute()
    with _KEPT_LOCK:
        per_kind[key] = value
        while len(per_kind) > size:
            per_kind.popitem(last=False)
    return value


def _links(rows: ox.QuerySolutions) -> list[Link]:
    links = []
    for row in rows:
        label, kind, date, severity = (_term(row[v]) for v in ("label", "type", "date", "severity"))
        links.append(
            Link(
                subject=URIRef(_value(row["s"])),
                predicate=URIRef(_value(row["p"])),
                label=str(label) if label is not None else None,
                type=kind if isinstance(kind, URIRef) else None,
                date=date if isinstance(date, Literal) else None,
                severity=str(severity) if severity is not None else None,
            )
        )
    return links


def _node(iri: str) -> ox.NamedNode:
    """``iri`` as a term, or NotFound: a string that is not an IRI names nothing here."""
    try:
        return ox.NamedNode(iri)
    except ValueError as err:
        raise NotFound(f"not an IRI: {iri!r}") from err


def _term(term: object) -> Node | None:
    return None if term is None else from_ox(term)


def _value(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    raise TypeError(f"expected an IRI or a literal, got {term!r}")
