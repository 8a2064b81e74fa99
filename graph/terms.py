"""Converters between rdflib terms and pyoxigraph terms.

rdflib is used for parsing results handed to pyshacl and for in-memory graphs;
pyoxigraph is the store. Literals without a datatype or language in rdflib are
``xsd:string`` in pyoxigraph and come back as plain rdflib literals, so a round
trip through the store keeps rdflib equality.

>>> from rdflib import Literal, URIRef
>>> from_ox(to_ox(Literal("Palantir", lang="en")))
rdflib.term.Literal('Palantir', lang='en')
>>> to_ox(URIRef("https://w3id.org/harmgraph/id/actor/palantir"))
<NamedNode value=https://w3id.org/harmgraph/id/actor/palantir>
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

OxSubject = ox.NamedNode | ox.BlankNode
OxObject = ox.NamedNode | ox.BlankNode | ox.Literal
OxGraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
RdfTriple = tuple[Node, Node, Node]

_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_ox(term: Node, bnodes: dict[BNode, ox.BlankNode] | None = None) -> OxObject:
    """Convert an rdflib IRI, blank node or literal to its pyoxigraph twin.

    ``bnodes`` maps rdflib blank nodes to fresh pyoxigraph ones, so that labels
    from different parses never collide in the store; without it the label is kept.

    >>> to_ox(Literal("2024", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")))
    <Literal value=2024 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        if bnodes is None:
            return ox.BlankNode(str(term))
        if term not in bnodes:
            bnodes[term] = ox.BlankNode()
        return bnodes[term]
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} {term!r} as an RDF term")


def from_ox(term: object) -> Node:
    """Convert a pyoxigraph IRI, blank node or literal to rdflib.

    >>> from_ox(ox.Literal("x"))
    rdflib.term.Literal('x')
    >>> from_ox(ox.BlankNode("b0"))
    rdflib.term.BNode('b0')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype
        if datatype == _XSD_STRING or datatype.value == _RDF_LANG_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype.value))
    raise TypeError(f"RDF 1.2 triple terms and {type(term).__name__} are not supported")


def graph_name(iri: str | None) -> OxGraphName:
    """The pyoxigraph graph name for a graph IRI, or the default graph for ``None``.

    >>> graph_name(None)
    <DefaultGraph>
    """
    return ox.DefaultGraph() if iri is None else ox.NamedNode(str(iri))


def to_quads(triples: Iterable[RdfTriple], graph: OxGraphName) -> Iterator[ox.Quad]:
    """Turn rdflib triples into pyoxigraph quads in ``graph`` (blank nodes renamed fresh).

    >>> q = next(to_quads([(URIRef("http://e/a"), URIRef("http://e/p"), Literal(1))],
    ...                   graph_name("http://e/g")))
    >>> q.graph_name
    <NamedNode value=http://e/g>
    """
    bnodes: dict[BNode, ox.BlankNode] = {}
    for s, p, o in triples:
        subject = to_ox(s, bnodes)
        predicate = to_ox(p)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
        yield ox.Quad(subject, predicate, to_ox(o, bnodes), graph)
