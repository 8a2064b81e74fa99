"""Value conditions of SHACL shapes as SPARQL expressions (for :mod:`graph.shacl_sparql`).

:class:`Conditions` turns a value constraint (``sh:class``, ``sh:datatype``, ``sh:or``,
``sh:node`` with nested property shapes, ...) into a SPARQL boolean expression over a
variable, and refuses (:class:`Unsupported`) whatever it does not translate exactly.

>>> from rdflib import Graph
>>> Conditions(Graph()).value(SH.nodeKind, SH.Literal, "?v")
'isLiteral(?v)'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.report import short
from graph.terms import to_ox

__all__ = [
    "INSTANCE_OF",
    "TARGETS",
    "VALUE_PARAMS",
    "Conditions",
    "Unsupported",
    "deactivated",
    "integer",
    "term",
]

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: Predicates of a shape that are not constraints (or are read with their constraint).
_NON_CONSTRAINTS = {
    *TARGETS,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    SH.property,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
VALUE_PARAMS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}
_COUNT_PARAMS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedMinCountConstraintComponent,
}
#: Read only with sh:pattern, whose flags are not compiled (Python and XPath differ).
_KNOWN = {SH.flags} | _NON_CONSTRAINTS | set(VALUE_PARAMS) | set(_COUNT_PARAMS)
#: Parameters compiled only when they have one value (several: pyshacl decides).
_SINGLE = _KNOWN - {*TARGETS, SH.message, SH.name, SH.description, SH.property}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape, SH.Shape}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
#: Regular expressions Python's ``re.search`` and XPath's ``fn:matches`` read alike: no
#: ``.`` (XPath excludes ``\r``), no ``$`` (Python matches before a final newline), no
#: escapes, no counted repetition.
_SAFE_PATTERN = re.compile(r"[A-Za-z0-9^?*+:/_|()\[\] -]*")
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
#: A SHACL instance of a class, without inference: ``rdf:type/rdfs:subClassOf*``.
INSTANCE_OF = f"{_TYPE}/{_SUBCLASS}*"


class Unsupported(Exception):
    """A shape uses something the compiler does not translate (the message says what).

    Control flow inside :func:`graph.shacl_sparql.compile_shapes`, which catches it and
    leaves the shape to pyshacl: it never reaches a caller, so it is no HarmgraphError.
    """


def deactivated(shapes: Graph, shape: Node) -> bool:
    """Whether ``shape`` is ``sh:deactivated true`` (checked by nothing).

    >>> s = URIRef("urn:s")
    >>> deactivated(Graph().add((s, SH.deactivated, Literal(True))), s)
    True
    """
    return any(
        isinstance(o, Literal) and o.value is True for o in shapes.objects(shape, SH.deactivated)
    )


class Conditions:
    """Translates value constraints; raises :class:`Unsupported` on anything unknown."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._names = itertools.count(1)

    def check(self, shape: Node, *, nested: bool) -> None:
        for p in set(self.g.predicates(shape)):
            objects = set(self.g.objects(shape, p))
            if p == RDF.type:
                if not nested and objects - _SHAPE_TYPES:
                    raise Unsupported(f"{short(shape)} is also a class (an implicit target)")
            elif str(p).startswith(str(SH)) and p not in _KNOWN:
                raise Unsupported(f"{short(shape)} uses {short(p)}")
            elif p in _SINGLE and len(objects) > 1:
                raise Unsupported(f"{short(shape)} has several {short(p)}")
        if (shape, SH.flags, None) in self.g:
            raise Unsupported(f"{short(shape)} uses sh:flags")
        if self.g.value(shape, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
            raise Unsupported(f"{short(shape)} uses sh:qualifiedValueShapesDisjoint")
        if (shape, SH.qualifiedValueShape, None) in self.g and nested:
            raise Unsupported(f"{short(shape)}: qualified counts inside a nested shape")
        if self.g.value(shape, SH.path) is None:
            for param in (SH.minCount, SH.maxCount, SH.qualifiedValueShape):
                if (shape, param, None) in self.g:
                    raise Unsupported(f"{short(shape)}: {short(param)} on a node shape")
        elif (shape, SH.property, None) in self.g:
            raise Unsupported(f"{short(shape)}: sh:property on a property shape")

    def path(self, shape: Node) -> URIRef:
        path = self.g.value(shape, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"{short(shape)}: only predicate paths are compiled")
        return path

    def value(self, param: URIRef, rule: Node, v: str) -> str:
        """A SPARQL expression: ``v`` satisfies the value constraint ``param rule``."""
        if param == SH["class"]:
            return f"EXISTS {{ {v} {INSTANCE_OF} {term(rule)} }}"
        if param == SH.datatype:
            return f"(isLiteral({v}) && datatype({v}) = {term(rule)})"
        if param == SH.nodeKind:
            if not isinstance(rule, URIRef) or rule not in _NODE_KINDS:
                raise Unsupported(f"unknown sh:nodeKind {short(rule)}")
            return _NODE_KINDS[rule].format(v=v)
        if param == SH["in"]:
            members = [f"sameTerm({v}, {term(m)})" for m in self.list_(rule)]
            return "(" + (" || ".join(members) or "false") + ")"
        if param == SH.hasValue:
            return f"sameTerm({v}, {term(rule)})"
        if param == SH.pattern:
            return self.pattern(rule, v)
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {integer(rule)})"
        if param == SH.node:
            return self.conforms(rule, v)
        alternatives = [self.conforms(s, v) for s in self.list_(rule)] if param != SH["not"] else []
        if param == SH["or"]:
            return "(" + (" || ".join(alternatives) or "false") + ")"
        if param == SH["and"]:
            return "(" + (" && ".join(alternatives) or "true") + ")"
        return f"!({self.conforms(rule, v)})"

    def pattern(self, rule: Node, v: str) -> str:
        if not isinstance(rule, Literal) or not _SAFE_PATTERN.fullmatch(str(rule)):
            raise Unsupported(f"sh:pattern {rule!r} may read differently in SPARQL")
        return f"(!isBlank({v}) && REGEX(STR({v}), {term(Literal(str(rule)))}))"

    def conforms(self, shape: Node, v: str, depth: int = 0) -> str:
        """A SPARQL expression: ``v`` conforms to the (nested) node shape ``shape``."""
        if depth > 8:
            raise Unsupported(f"{short(shape)}: shapes nested too deep (recursive?)")
        if deactivated(self.g, shape):
            return "true"
        self.check(shape, nested=True)
        parts = []
        if self.g.value(shape, SH.path) is not None:
            raise Unsupported(f"{short(shape)}: a property shape used as a node shape")
        for param in (*VALUE_PARAMS, SH.hasValue):
            for rule in self.g.objects(shape, param):
                parts.append(self.value(param, rule, v))
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            parts.extend(self.nested_property(prop, v))
        return "(" + (" && ".join(parts) or "true") + ")"

    def nested_property(self, prop: Node, v: str) -> Iterator[str]:
        if deactivated(self.g, prop):
            return
        self.check(prop, nested=True)
        p = term(self.path(prop))
        x = f"?n{next(self._names)}"
        low = integer(self.g.value(prop, SH.minCount))
        if low is not None and low > 1:
            raise Unsupported(f"{short(prop)}: nested sh:minCount above 1")
        if low == 1:
            yield f"EXISTS {{ {v} {p} {x} }}"
        high = integer(self.g.value(prop, SH.maxCount))
        if high is not None and high > 1:
            raise Unsupported(f"{short(prop)}: nested sh:maxCount above 1")
        if high == 0:
            yield f"NOT EXISTS {{ {v} {p} {x} }}"
        elif high == 1:
            yield f"NOT EXISTS {{ {v} {p} {x}, {x}b FILTER(!sameTerm({x}, {x}b)) }}"
        has_value = self.g.value(prop, SH.hasValue)
        if has_value is not None:
            yield f"EXISTS {{ {v} {p} {term(has_value)} }}"
        for param in VALUE_PARAMS:
            for rule in self.g.objects(prop, param):
                yield f"NOT EXISTS {{ {v} {p} {x} FILTER(!({self.value(param, rule, x)})) }}"

    def list_(self, head: Node) -> list[Node]:
        if head != RDF.nil and (head, RDF.first, None) not in self.g:
            raise Unsupported(f"{short(head)} is not an RDF list")
        return list(Collection(self.g, head))


def integer(node: Node | None) -> int | None:
    """A count parameter's value (None if absent); anything but an integer is refused.

    >>> integer(Literal(2)), integer(None)
    (2, None)
    """
    if node is None:
        return None
    if not isinstance(node, Literal) or not isinstance(node.value, int):
        raise Unsupported(f"{node!r} is not an integer")
    return node.value


def term(node: Node | None) -> str:
    """A term in SPARQL syntax, validated and escaped by pyoxigraph.

    >>> print(term(Literal('say "hi"')))
    "say \\"hi\\""
    """
    if isinstance(node, BNode) or node is None:
        raise Unsupported("a blank node or missing term in a constraint")
    return str(to_ox(node))
