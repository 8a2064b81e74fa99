"""Documentation of the ontology and the shapes, extracted from their Turtle.

:func:`ontology_doc` reads ``ontology/*.ttl`` into an :class:`OntologyDoc`
(classes and properties with labels, definitions, comments and alignments);
:func:`shapes_doc` reads ``shapes/*.ttl`` into a :class:`ShapesDoc` (each node
shape with its property shapes, severity, constraints and message). Both are
cached per directory and file fingerprint, so they are built once per process.
The API renders them as HTML.

>>> from graph.settings import get_settings
>>> doc = ontology_doc(get_settings().ontology_dir)
>>> [t.curie for t in doc.classes][:2]
['hg:AISystem', 'hg:Actor']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from graph import model
from graph.model import SCHEMA, SH

SHAPES_PREFIXES = {**model.PREFIXES, "hgsh": str(model.SHAPES_IRI) + "#"}
_PROPERTY_TYPES = {
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
}
_SHAPE_OWN = {
    RDF.type,
    RDFS.label,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    RDFS.comment,
}


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology."""

    iri: str
    curie: str
    kind: str
    label: str
    definition: str = ""
    comment: str = ""
    notes: tuple[str, ...] = ()
    #: (relation, value) pairs: subClassOf, subPropertyOf, domain, range, seeAlso…
    relations: tuple[tuple[str, str], ...] = ()

    @property
    def anchor(self) -> str:
        """The fragment of the term's IRI (its anchor on the documentation page)."""
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class OntologyDoc:
    """The ontology's header and terms."""

    iri: str
    title: str
    description: str
    metadata: tuple[tuple[str, str], ...]
    classes: tuple[Term, ...]
    properties: tuple[Term, ...]
    turtle: str


@dataclass(frozen=True)
class PropertyShape:
    """One property shape: the path it checks, how severely and what it says."""

    name: str
    path: str
    severity: str
    message: str
    constraints: tuple[str, ...]


@dataclass(frozen=True)
class NodeShape:
    """One node shape and its property shapes."""

    iri: str
    curie: str
    label: str
    comment: str
    targets: tuple[str, ...]
    constraints: tuple[str, ...]
    properties: tuple[PropertyShape, ...] = field(default=())

    @property
    def anchor(self) -> str:
        """The fragment of the shape's IRI."""
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class ShapesDoc:
    """The shapes graph's header and node shapes."""

    iri: str
    title: str
    description: str
    metadata: tuple[tuple[str, str], ...]
    shapes: tuple[NodeShape, ...]
    turtle: str


def ontology_doc(directory: Path) -> OntologyDoc:
    """The documentation of the ontology in ``directory`` (cached)."""
    return _ontology_doc(directory.resolve(), _fingerprint(directory))


def shapes_doc(directory: Path) -> ShapesDoc:
    """The documentation of the shapes in ``directory`` (cached).

    >>> from graph.settings import get_settings
    >>> doc = shapes_doc(get_settings().shapes_dir)
    >>> incident = next(s for s in doc.shapes if s.curie == "hgsh:Incident")
    >>> incident.properties[0].severity
    'Violation'
    """
    return _shapes_doc(directory.resolve(), _fingerprint(directory))


@functools.lru_cache(maxsize=4)
def _ontology_doc(directory: Path, fingerprint: tuple[object, ...]) -> OntologyDoc:
    graph, turtle = _load(directory)
    iri = model.ONTOLOGY_IRI
    classes, properties = [], []
    for node in sorted(set(graph.subjects(RDFS.isDefinedBy, iri)), key=str):
        kinds = set(graph.objects(node, RDF.type))
        if OWL.Class in kinds:
            classes.append(_term(graph, node, "class"))
        for rdf_type, kind in _PROPERTY_TYPES.items():
            if rdf_type in kinds:
                properties.append(_term(graph, node, kind))
    return OntologyDoc(
        iri=str(iri),
        title=_text(graph, iri, DCTERMS.title, RDFS.label) or str(iri),
        description=_text(graph, iri, DCTERMS.description),
        metadata=_metadata(graph, iri, model.PREFIXES),
        classes=tuple(sorted(classes, key=lambda t: t.curie)),
        properties=tuple(sorted(properties, key=lambda t: t.curie)),
        turtle=turtle,
    )


@functools.lru_cache(maxsize=4)
def _shapes_doc(directory: Path, fingerprint: tuple[object, ...]) -> ShapesDoc:
    graph, turtle = _load(directory)
    iri = model.SHAPES_IRI
    shapes = []
    for node in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(node, URIRef):
            continue
        props = [
            _property_shape(graph, p)
            for p in sorted(graph.objects(node, SH.property), key=lambda p: _order(graph, node, p))
        ]
        shapes.append(
            NodeShape(
                iri=str(node),
                curie=_curie(node),
                label=_text(graph, node, RDFS.label, SH.name) or _curie(node),
                comment=_text(graph, node, RDFS.comment, SH.description),
                targets=tuple(
                    _curie(t) for t in sorted(graph.objects(node, SH.targetClass), key=str)
                ),
                constraints=_constraints(graph, node, _SHAPE_OWN | {SH.property, SH.targetClass}),
                properties=tuple(props),
            )
        )
    shapes.sort(key=lambda s: (not s.targets, s.curie))
    return ShapesDoc(
        iri=str(iri),
        title=_text(graph, iri, DCTERMS.title, RDFS.label) or str(iri),
        description=_text(graph, iri, DCTERMS.description),
        metadata=_metadata(graph, iri, SHAPES_PREFIXES),
        shapes=tuple(shapes),
        turtle=turtle,
    )


def _order(graph: Graph, shape: Node, prop: Node) -> tuple[int, str]:
    """Violations first, then warnings, then info; file order is lost in RDF."""
    rank = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
    return rank.get(graph.value(prop, SH.severity), 0), str(prop)  # type: ignore[call-overload]


def _property_shape(graph: Graph, node: Node) -> PropertyShape:
    severity = graph.value(node, SH.severity) or SH.Violation
    return PropertyShape(
        name=_curie(node) if isinstance(node, URIRef) else "",
        path=_render(graph, graph.value(node, SH.path)),
        severity=str(severity).rsplit("#", 1)[-1],
        message=_text(graph, node, SH.message),
        constraints=_constraints(graph, node, _SHAPE_OWN),
    )


def _constraints(graph: Graph, node: Node, skip: set[URIRef]) -> tuple[str, ...]:
    pairs = sorted((p, o) for p, o in graph.predicate_objects(node) if p not in skip)
    return tuple(f"{_curie(p)} {_render(graph, o)}" for p, o in pairs)


def _render(graph: Graph, node: Node | None) -> str:
    """A readable, Turtle-like rendering of a value (lists and blank nodes inlined)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return _curie(node)
    if isinstance(node, Literal):
        return f'"{node}"' if node.datatype is None or node.language else str(node)
    if isinstance(node, BNode) and graph.value(node, RDF.first) is not None:
        return "( " + " ".join(_render(graph, item) for item in Collection(graph, node)) + " )"
    inner = "; ".join(
        f"{_curie(p)} {_render(graph, o)}" for p, o in sorted(graph.predicate_objects(node))
    )
    return f"[ {inner} ]"


def _term(graph: Graph, node: Node, kind: str) -> Term:
    relations = [
        (name, _render(graph, value))
        for name, prop in (
            ("subclass of", RDFS.subClassOf),
            ("subproperty of", RDFS.subPropertyOf),
            ("domain", RDFS.domain),
            ("domain includes", SCHEMA.domainIncludes),
            ("range", RDFS.range),
            ("see also", RDFS.seeAlso),
            ("equivalent to", OWL.equivalentClass),
        )
        for value in sorted(graph.objects(node, prop), key=str)
    ]
    return Term(
        iri=str(node),
        curie=_curie(node),
        kind=kind,
        label=_text(graph, node, RDFS.label, SKOS.prefLabel) or _curie(node),
        definition=_text(graph, node, SKOS.definition),
        comment=_text(graph, node, RDFS.comment),
        notes=tuple(sorted(str(n) for n in graph.objects(node, SKOS.editorialNote))),
        relations=tuple(relations),
    )


def _metadata(graph: Graph, iri: URIRef, prefixes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    shown = (
        OWL.versionInfo,
        OWL.versionIRI,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.created,
        DCTERMS.modified,
    )
    return tuple(
        (model.curie(str(p)), str(o)) for p in shown for o in sorted(graph.objects(iri, p), key=str)
    )


def _text(graph: Graph, node: Node, *props: URIRef) -> str:
    """The first value of the first property that has one (English preferred)."""
    for prop in props:
        values = list(graph.objects(node, prop))
        if values:
            values.sort(key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))
            return str(values[0])
    return ""


def _curie(node: Node) -> str:
    return model.curie(str(node), SHAPES_PREFIXES)


def _load(directory: Path) -> tuple[Graph, str]:
    graph = Graph()
    texts = []
    for path in sorted(directory.glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        graph.parse(data=text, format="turtle")
    return graph, "\n".join(texts)


def _fingerprint(directory: Path) -> tuple[object, ...]:
    return tuple(
        (f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(directory.glob("*.ttl"))
    )
