"""The compiled write gate: incoming data staged in pyoxigraph, shapes run as SPARQL.

:class:`SparqlGate` copies the data to validate (incoming triples plus their store
context, as :func:`graph.ingest.import_graph` hands it over) and the vocabulary concepts it
uses into a fresh in-memory pyoxigraph store, runs the queries
:func:`graph.shacl_sparql.compile_shapes` built, and turns their rows into the
:class:`~graph.report.ValidationResult` objects pyshacl's report would give (focus node,
incident, path, severity, message, value, source shape, constraint component).

Literals pyshacl holds ill-typed for their own datatype (``"abc"^^xsd:integer``,
``"2026-02-30"^^xsd:date``: rdflib's parse of the lexical form, as pyshacl checks it) are
staged with the private datatype :data:`ILL_TYPED`, so no ``sh:datatype`` accepts them;
results report the original literal.

>>> from rdflib.namespace import RDF
>>> from graph.gate import violation_shapes
>>> from graph.model import HG, mint
>>> from graph.report import short
>>> from graph.shacl_sparql import compile_shapes
>>> from graph.validation import get_validator
>>> v = get_validator()
>>> gate = SparqlGate(compile_shapes(violation_shapes(v.shapes)), v.vocab)
>>> g = Graph().add((mint("incident", "INC-1"), RDF.type, HG.Incident))
>>> sorted({short(r.path) for r in gate.violations(g)})[:3]
['dcterms:date', 'dcterms:description', 'dcterms:identifier']
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from graph.report import ValidationResult
from graph.shacl_sparql import CompiledShapes
from graph.terms import from_ox, to_ox
from graph.validation import incident_of

__all__ = ["ILL_TYPED", "SparqlGate", "report_graph", "well_typed"]

#: The datatype ill-typed literals are staged with (never a shape's ``sh:datatype``).
ILL_TYPED = "urn:x-harmgraph:ill-typed"
_ILL_TYPED = ox.NamedNode(ILL_TYPED)
#: What pyshacl's ``sh:datatype`` check requires of a parsed literal's value.
_VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class SparqlGate:
    """Runs compiled shapes over a staging copy of the data.

    Args:
        compiled: The compiled shapes (its ``fallback`` shapes are not checked here).
        vocab: The vocabularies; the concepts the data uses are staged with it.
    """

    def __init__(self, compiled: CompiledShapes, vocab: Graph) -> None:
        self.compiled = compiled
        self._vocab = vocab
        self._concepts = set(vocab.subjects())
        self._concept_triples: dict[ox.NamedNode, list[ox.Triple]] | None = None

    def has_violation(self, store: ox.Store, graph: ox.NamedNode) -> bool:
        """Whether a compiled shape finds a Violation in ``graph`` of ``store``.

        The fast import (:mod:`graph.ingest_fast`) stages data there ready for the queries:
        incoming triples, store context and :meth:`concept_triples`, with ill-typed literals
        as :data:`ILL_TYPED` ones.
        """
        for query in self.compiled.queries:
            rows = store.query(query.sparql, default_graph=graph)
            assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - compiled SELECTs
            if next(iter(rows), None) is not None:
                return True
        return False

    def concept_triples(self) -> dict[ox.NamedNode, list[ox.Triple]]:
        """Per vocabulary concept (an IRI), its triples as :meth:`violations` stages them."""
        if self._concept_triples is None:
            staging = _Staging()
            by_concept: dict[ox.NamedNode, list[ox.Triple]] = {}
            for concept in self._concepts:
                if isinstance(concept, URIRef):
                    by_concept[ox.NamedNode(str(concept))] = [
                        ox.Triple(staging._node(s), ox.NamedNode(str(p)), staging._object(o))
                        for s, p, o in self._vocab.triples((concept, None, None))
                    ]
            self._concept_triples = by_concept
        return self._concept_triples

    def violations(self, data: Graph) -> list[ValidationResult]:
        """Every result of the compiled shapes on ``data`` (plus the concepts it uses)."""
        staging = _Staging()
        triples = data.quads() if isinstance(data, Dataset) else data
        used: set[Node] = set()
        for s, p, o, *_ in triples:
            staging.add(s, p, o)
            if o in self._concepts:
                used.add(o)
        for concept in used:
            for s, p, o in self._vocab.triples((concept, None, None)):
                staging.add(s, p, o)
        staging.flush()
        flat = _flatten(data)
        incidents: dict[Node, URIRef | None] = {}
        results = []
        for query in self.compiled.queries:
            rows = staging.store.query(query.sparql)
            assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - compiled SELECTs
            for row in rows:
                focus = staging.back(row["focus"])
                value = staging.back(row["value"]) if len(row) > 1 else None
                if focus not in incidents:
                    incidents[focus] = incident_of(flat, focus)
                results.append(
                    ValidationResult(
                        focus_node=focus,
                        incident=incidents[focus],
                        path=query.path,
                        severity=query.severity,
                        message=query.message,
                        value=value,
                        source_shape=query.shape,
                        constraint=query.component,
                    )
                )
        return sorted(results, key=ValidationResult.sort_key)


class _Staging:
    """An in-memory pyoxigraph store fed with rdflib terms, remembering the originals.

    Terms are converted once each (keyed by their text: rdflib's own term hashing is
    slow Python), which halves the staging of a large import.
    """

    def __init__(self) -> None:
        self.store = ox.Store()
        self._quads: list[ox.Quad] = []
        self._iris: dict[str, ox.NamedNode] = {}
        self._bnodes: dict[str, ox.BlankNode] = {}
        self._literals: dict[tuple[str, object, object], ox.Literal] = {}
        self._back: dict[object, Node] = {}

    def add(self, s: Node, p: Node, o: Node) -> None:
        self._quads.append(ox.Quad(self._node(s), self._node(p), self._object(o)))  # type: ignore[arg-type]

    def _node(self, term: Node) -> ox.NamedNode | ox.BlankNode:
        key = str(term)
        if type(term) is URIRef:
            iri = self._iris.get(key)
            if iri is None:
                iri = self._iris[key] = ox.NamedNode(key)
            return iri
        if isinstance(term, BNode):
            blank = self._bnodes.get(key)
            if blank is None:
                blank = self._bnodes[key] = ox.BlankNode()
                self._back[blank] = term
            return blank
        if isinstance(term, URIRef):
            return ox.NamedNode(key)
        raise TypeError(f"cannot stage {term!r} as a subject or predicate")

    def _object(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if not isinstance(term, Literal):
            return self._node(term)
        key = (str(term), term.datatype, term.language)
        staged = self._literals.get(key)
        if staged is None:
            if _well_typed(term):
                staged = to_ox(term)  # type: ignore[assignment]
            else:
                staged = ox.Literal(key[0], datatype=_ILL_TYPED)
                self._back[staged] = term
            self._literals[key] = staged  # type: ignore[assignment]
        return staged  # type: ignore[return-value]

    def flush(self) -> None:
        self.store.bulk_extend(self._quads)
        self._quads = []

    def back(self, term: object) -> Node:
        """The rdflib term a staged term came from."""
        original = self._back.get(term)
        return original if original is not None else from_ox(term)


def _well_typed(literal: Literal) -> bool:
    """Whether pyshacl's ``sh:datatype`` check accepts ``literal`` for its own datatype."""
    if literal.datatype is None:
        return True
    if literal.ill_typed is True:
        return False
    expected = _VALUE_TYPES.get(literal.datatype)
    return expected is None or isinstance(literal.value, expected)


def well_typed(literal: Literal) -> bool:
    """Whether pyshacl's ``sh:datatype`` accepts ``literal`` for its own datatype.

    >>> well_typed(Literal("2026-02-30", datatype=XSD.date)), well_typed(Literal("x"))
    (False, True)
    """
    return _well_typed(literal)


def _flatten(data: Graph) -> Graph:
    if not isinstance(data, Dataset):
        return data
    flat = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        flat.add((s, p, o))
    return flat


def report_graph(results: list[ValidationResult]) -> Graph:
    """An ``sh:ValidationReport`` graph of ``results``, as pyshacl writes one.

    >>> len(report_graph([]))
    2
    """
    graph = Graph()  # no prefixes bound: binding builds rdflib's namespace table (ms)
    report = BNode()
    conforms = not any(r.severity == "Violation" for r in results)
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    for r in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus_node))
        graph.add((node, SH.resultSeverity, SH[r.severity]))
        graph.add((node, SH.resultMessage, Literal(r.message)))
        for predicate, term in (
            (SH.resultPath, r.path),
            (SH.value, r.value),
            (SH.sourceShape, r.source_shape),
            (SH.sourceConstraintComponent, r.constraint),
        ):
            if term is not None:
                graph.add((node, predicate, term))
    return graph
