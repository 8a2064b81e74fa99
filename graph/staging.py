"""The fast import's staging store: incoming RDF parsed by pyoxigraph, never copied to rdflib.

:class:`Staging` holds an import's incoming triples in an in-memory pyoxigraph store, in
the named graph they are going to be written to, so that the write streams them without
rebuilding a quad. It gives the data exactly the shape the reference path
(:func:`graph.io.parse`, then rdflib) gives it:

* blank nodes are renamed to fresh ones (``_:b0`` of two files, or of a file and the
  store, never meet);
* typed literals get rdflib's canonical lexical form (``"01"^^xsd:integer`` is written as
  ``"1"``, as the reference path writes what rdflib parsed), one rdflib conversion per
  distinct literal;
* :meth:`Staging.subjects`, :meth:`~Staging.objects`, :meth:`~Staging.triples`,
  :meth:`~Staging.add` and :meth:`~Staging.remove` take and give rdflib terms, so entity
  resolution (:func:`graph.resolve.resolve`) runs on it unchanged, by index lookups.

>>> from rdflib import URIRef
>>> s = Staging(URIRef("http://e/g"))
>>> s.load(b'<http://e/a> <http://e/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .',
...        "ntriples", "x.nt")
>>> s.normalise()
set()
>>> [str(o) for o in s.objects(URIRef("http://e/a"), URIRef("http://e/p"))]
['1']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from graph import io
from graph.gate_sparql import well_typed
from graph.terms import from_ox, to_ox

#: The named graph of the store context and vocabulary concepts the gate sees too.
CONTEXT = ox.NamedNode("urn:x-harmgraph:staging-context")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TYPED_LITERALS = (
    "SELECT DISTINCT ?o WHERE { ?s ?p ?o "
    f"FILTER(isLITERAL(?o) && LANG(?o) = '' && DATATYPE(?o) != <{_XSD_STRING}>) }}"
)
_BLANK = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBLANK(?s) || isBLANK(?o)) }"
_P = ox.Variable("p")
_SEVERAL = "SELECT ?s ?p WHERE { ?s ?p ?o } GROUP BY ?s ?p HAVING (COUNT(?o) > 1)"
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
Pattern = tuple[Node | None, Node | None, Node | None]


class Staging:
    """Incoming triples in an in-memory pyoxigraph store, in the named graph ``graph``."""

    def __init__(self, graph: URIRef) -> None:
        self.store = ox.Store()
        self.graph = ox.NamedNode(str(graph))
        self._files = 0

    def load(self, data: bytes, fmt: str | io.Format | None, name: str) -> None:
        """Parse one file's bytes into the staging graph (errors as :func:`graph.io.parse`).

        Raises:
            UnsupportedFormat: the format is unknown.
            InvalidRDF: the data does not parse; ``file``, ``line`` and ``column`` say where.
        """
        rdf = io.detect_format(name, fmt)
        try:
            if self._files == 0 and not rdf.dataset:
                # Rust end to end; labelled blank nodes are renamed afterwards.
                self.store.load(data, rdf.rdf_format, to_graph=self.graph)
                if b"_:" in data:
                    self._rename_blank_nodes()
            else:
                quads = ox.parse(
                    data,
                    rdf.rdf_format,
                    without_named_graphs=not rdf.dataset,
                    rename_blank_nodes=True,
                )
                graph = self.graph
                self.store.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads
                )
        except (SyntaxError, TypeError) as err:
            raise io.invalid_rdf(err, name) from err
        self._files += 1

    def _rename_blank_nodes(self) -> None:
        rows = list(self._select(_BLANK, self.graph))
        fresh: dict[ox.BlankNode, ox.BlankNode] = {}
        for s, p, o in rows:
            self.store.remove(ox.Quad(s, p, o, self.graph))
        for s, p, o in rows:
            if isinstance(s, ox.BlankNode):
                s = fresh.setdefault(s, ox.BlankNode())
            if isinstance(o, ox.BlankNode):
                o = fresh.setdefault(o, ox.BlankNode())
            self.store.add(ox.Quad(s, p, o, self.graph))

    def normalise(self, graph: ox.NamedNode | None = None) -> set[ox.Literal]:
        """Give typed literals of ``graph`` (default: the staging graph) rdflib's lexical form.

        Returns the literals the gate must see as ill-typed (see :mod:`graph.gate_sparql`).
        """
        graph = graph or self.graph
        ill_typed: set[ox.Literal] = set()
        for (literal,) in list(self._select(_TYPED_LITERALS, graph)):
            parsed = from_ox(literal)
            canonical = to_ox(parsed)
            if canonical != literal:
                for q in list(self.store.quads_for_pattern(None, None, literal, graph)):
                    self.store.remove(q)
                    self.store.add(ox.Quad(q.subject, q.predicate, canonical, graph))
            if not well_typed(parsed):  # type: ignore[arg-type]
                ill_typed.add(canonical)  # type: ignore[arg-type]
        return ill_typed

    def replace_object(self, old: ox.Literal, new: ox.Literal, graph: ox.NamedNode) -> None:
        """Replace every ``old`` object in ``graph`` by ``new``."""
        for q in list(self.store.quads_for_pattern(None, None, old, graph)):
            self.store.remove(q)
            self.store.add(ox.Quad(q.subject, q.predicate, new, graph))

    def __len__(self) -> int:
        """The number of distinct incoming triples."""
        for (n,) in self._select(_COUNT, self.graph):
            return int(n.value)
        return 0

    def quads(self) -> Iterator[ox.Quad]:
        """The incoming triples, as quads in the staging graph."""
        return self.store.quads_for_pattern(None, None, None, self.graph)

    def _select(self, sparql: str, graph: ox.NamedNode) -> Iterator[list[Any]]:
        rows = self.store.query(sparql, default_graph=graph)
        assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - SELECT queries
        for row in rows:
            yield list(row)

    def several_values(self, predicate: URIRef) -> Iterator[Node]:
        """The subjects with more than one value of ``predicate`` (one query, no scan in
        Python: resolution skips the others when the store holds nothing to compare)."""
        rows = self.store.query(
            _SEVERAL, default_graph=self.graph, substitutions={_P: ox.NamedNode(str(predicate))}
        )
        assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - a SELECT query
        for row in rows:
            yield from_ox(row[0])

    # The part of rdflib's Graph API that graph.resolve uses (graph.resolve.Triples).

    def subjects(self, predicate: URIRef, object: Node, /) -> Iterator[Node]:
        """Subjects of ``predicate`` ``object`` (one per triple, as rdflib's)."""
        for q in self._pattern((None, predicate, object)):
            yield from_ox(q.subject)

    def objects(self, subject: Node, predicate: URIRef, /) -> Iterator[Node]:
        """Objects of ``subject`` ``predicate``."""
        for q in self._pattern((subject, predicate, None)):
            yield from_ox(q.object)

    def triples(self, pattern: Pattern, /) -> Iterator[tuple[Node, Node, Node]]:
        """Triples matching ``pattern`` (``None`` matches anything)."""
        for q in self._pattern(pattern):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

    def add(self, triple: tuple[Node, Node, Node], /) -> Staging:
        """Add a triple to the staging graph."""
        self.store.add(self._quad(triple))
        return self

    def remove(self, triple: tuple[Node, Node, Node], /) -> Staging:
        """Remove a triple from the staging graph."""
        self.store.remove(self._quad(triple))
        return self

    def __contains__(self, triple: tuple[Node, Node, Node], /) -> bool:
        return self._quad(triple) in self.store

    def _quad(self, triple: tuple[Node, Node, Node]) -> ox.Quad:
        s, p, o = (to_ox(t) for t in triple)
        return ox.Quad(s, p, o, self.graph)  # type: ignore[arg-type]

    def _pattern(self, pattern: Pattern) -> Iterator[ox.Quad]:
        s, p, o = (None if t is None else to_ox(t) for t in pattern)
        return self.store.quads_for_pattern(s, p, o, self.graph)  # type: ignore[arg-type]


def load_files(files: list[Path], fmt: str | None, graph: URIRef) -> Staging:
    """Parse ``files`` into a new :class:`Staging` (see :func:`graph.io.parse` for errors).

    >>> load_files([Path("no-such.ttl")], None, URIRef("http://e/g"))
    Traceback (most recent call last):
    ...
    graph.errors.NotFound: no such file: no-such.ttl
    """
    staging = Staging(graph)
    for f in files:
        io.detect_format(f, fmt)
        staging.load(io.read_file(f), fmt, str(f))
    return staging
