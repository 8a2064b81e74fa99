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

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph import model, queries
from graph.errors import NotFound
from graph.store import Store
from graph.terms import from_ox

#: Incoming links a page lists per property (the newest; the rest are paged).
INCOMING_PAGE = 20

#: The newest resources linking to ``?iri`` through ``?p`` (a page of them: LIMIT and
#: OFFSET are integers :func:`incoming_page` formats in, as SPARQL binds none). Labels,
#: types and severities are then looked up for the page only (:data:`LINK_DETAILS`), so a
#: hub linked from thousands of incidents costs one pass over its links.
INCOMING_RANKED = (
    queries.PROLOGUE
    + """
SELECT ?iri ?p ?s (MAX(?d) AS ?date) WHERE {
  ?s ?p ?iri . FILTER(!isBlank(?s))
  OPTIONAL { ?s dcterms:date ?d }
} GROUP BY ?iri ?p ?s ORDER BY DESC(?date) ?s LIMIT {limit} OFFSET {offset}
"""
)
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
    """How many resources link to ``iri``, per property.

    >>> incoming_counts(Store.open("memory"), "http://e/a")
    {}
    """
    rows = store.select(queries.INCOMING_COUNTS, substitutions={"iri": _node(iri)})
    return {URIRef(_value(r["p"])): int(_value(r["n"])) for r in rows}


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
    query = INCOMING_RANKED.replace("{limit}", str(max(int(limit), 0))).replace(
        "{offset}", str(max(int(offset), 0))
    )
    links = []
    for row in store.select(query, substitutions={"iri": _node(iri), "p": _node(predicate)}):
        subject = row["s"]
        details = next(iter(store.select(LINK_DETAILS, substitutions={"s": subject})), None)
        label, kind, severity = (
            _term(details[v]) if details is not None else None
            for v in ("label", "type", "severity")
        )
        date = _term(row["date"])
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
