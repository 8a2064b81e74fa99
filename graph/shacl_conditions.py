"""Value conditions of SHACL shapes as SPARQL (for :mod:`graph.shacl_sparql`).

:class:`Conditions` turns a value constraint (``sh:class``, ``sh:datatype``, ``sh:or``,
``sh:node`` with nested property shapes, ...) into a condition tree over a variable
(:class:`Cond`), and refuses (:class:`Unsupported`) whatever it does not translate
exactly. A tree renders as one SPARQL boolean expression (:func:`expr`, ``EXISTS`` for
what the variable must have), or, for evaluation over a whole store, as graph patterns
(:func:`holds`, :func:`fails`): joins and ``MINUS`` instead of an ``EXISTS`` per row,
which Oxigraph evaluates once per query rather than once per row.

>>> from rdflib import Graph
>>> expr(Conditions(Graph()).value(SH.nodeKind, SH.Literal, "?v"))
'isLiteral(?v)'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.report import short
from graph.shacl_facts import Facts
from graph.terms import to_ox

__all__ = [
    "INSTANCE_OF",
    "TARGETS",
    "VALUE_PARAMS",
    "Cond",
    "Conditions",
    "Facts",
    "Unsupported",
    "deactivated",
    "expr",
    "fails",
    "holds",
    "integer",
    "positive",
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


@dataclass(frozen=True)
class Cond:
    """A condition on one variable: ``kind`` is ``expr`` (a SPARQL expression in
    ``text``), ``exists`` (the graph pattern ``text``, which binds the variable, matches,
    and ``parts[0]`` holds if given), ``not``, ``all`` or ``any`` (of ``parts``).

    ``var`` names the variable of an ``exists``: rendered as patterns (:func:`holds`,
    :func:`fails`, :func:`positive`), its match is then a subquery projecting it alone.
    Oxigraph joins a subquery by hashing it once; a plain pattern it looks up again for
    every row it is joined with (an index seek each): a source's type and URL for every
    incident's source took 2.8 s at 100k as lookups, 0.5 s as subqueries.
    """

    kind: str
    text: str = ""
    parts: tuple[Cond, ...] = ()
    var: str = ""


def _expr(text: str) -> Cond:
    return Cond("expr", text)


def expr(c: Cond) -> str:
    """``c`` as one SPARQL boolean expression.

    >>> expr(Cond("not", parts=(Cond("exists", "?v <urn:p> ?x"),)))
    '!(EXISTS { ?v <urn:p> ?x })'
    """
    if c.kind == "expr":
        return c.text
    if c.kind == "exists":
        inner = f" FILTER({expr(c.parts[0])})" if c.parts else ""
        return f"EXISTS {{ {c.text}{inner} }}"
    if c.kind == "not":
        return f"!({expr(c.parts[0])})"
    joiner, empty = (" && ", "true") if c.kind == "all" else (" || ", "false")
    return "(" + (joiner.join(expr(p) for p in c.parts) or empty) + ")"


def holds(c: Cond) -> str:
    """Group elements that keep the rows (binding the variable) on which ``c`` holds.

    Joins may repeat a row: use under ``DISTINCT`` or ``MINUS``.

    >>> holds(Cond("exists", "?v <urn:p> ?x"))
    '{ ?v <urn:p> ?x }'
    """
    if c.kind == "expr":
        return f"FILTER({c.text})"
    if c.kind == "exists":
        return f"{{ {_matched(c)} }}"
    if c.kind == "not":
        return fails(c.parts[0])
    if c.kind == "all":
        return " ".join(holds(p) for p in c.parts)
    pattern = positive(c)
    return f"{{ {pattern} }}" if pattern is not None else f"FILTER({expr(c)})"


def fails(c: Cond) -> str:
    """Group elements that keep the rows (binding the variable) on which ``c`` fails.

    >>> fails(Cond("exists", "?v <urn:p> ?x"))
    'MINUS { ?v <urn:p> ?x }'
    """
    if c.kind == "expr":
        return f"FILTER(!({c.text}))"
    if c.kind == "not":
        return holds(c.parts[0])
    if c.kind == "any":
        return " ".join(fails(p) for p in c.parts) or "FILTER(true)"
    pattern = positive(c)
    return f"MINUS {{ {pattern} }}" if pattern is not None else f"FILTER(!({expr(c)}))"


def positive(c: Cond) -> str | None:
    """A pattern that binds the variable exactly where ``c`` holds, or None.

    MINUS removes a row when the pattern has a solution with the same value: the
    pattern must bind the variable itself (an expression alone cannot).
    """
    if c.kind == "exists":
        return _matched(c)
    if c.kind == "all":
        for k, part in enumerate(c.parts):
            binder = positive(part)
            if binder is not None:
                rest = " ".join(holds(p) for j, p in enumerate(c.parts) if j != k)
                return f"{{ {binder} }} {rest}".rstrip()
        return None
    if c.kind == "any" and c.parts:
        branches = [positive(p) for p in c.parts]
        if all(b is not None for b in branches):
            return " UNION ".join(f"{{ {b} }}" for b in branches)
    return None


def _matched(c: Cond) -> str:
    """The pattern of an ``exists`` and its inner condition; a subquery if it names its
    variable.

    >>> _matched(Cond("exists", "?v <urn:p> ?x", var="?v"))
    '{ SELECT ?v WHERE { ?v <urn:p> ?x } }'
    """
    inner = f" {holds(c.parts[0])}" if c.parts else ""
    if c.var:
        return f"{{ SELECT {c.var} WHERE {{ {c.text}{inner} }} }}"
    return f"{c.text}{inner}"


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

    def __init__(self, shapes: Graph, facts: Facts | None = None) -> None:
        self.g = shapes
        #: Compiling for one dataset (None: for any data, with property paths).
        self.facts = facts
        self._names = itertools.count(1)

    def fresh(self) -> str:
        """A variable name used nowhere else in the queries of this compiler."""
        return f"?n{next(self._names)}"

    def instance_of(self, v: str, cls: Node) -> str:
        """A pattern: ``v`` is a SHACL instance of ``cls``."""
        if self.facts is None:
            return f"{v} {INSTANCE_OF} {term(cls)}"
        classes = sorted(self.facts.subclasses.get(cls, frozenset({cls})), key=str)
        t = self.fresh() if len(classes) > 1 else ""
        return self.facts.instances(v, [term(c) for c in classes], t)

    def triple(self, s: str, p: str, o: str) -> str:
        """A pattern: the triple ``s p o`` (SPARQL text) is in the data
        (:meth:`Facts.triple` over a whole store)."""
        return f"{s} {p} {o}" if self.facts is None else self.facts.triple(s, p, o)

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

    def value(self, param: URIRef, rule: Node, v: str) -> Cond:
        """The condition: ``v`` satisfies the value constraint ``param rule``."""
        if param == SH["class"]:
            return Cond("exists", self.instance_of(v, rule), var=v)
        if param == SH.datatype:
            bad = self.facts.ill_typed.get(rule, frozenset()) if self.facts else frozenset()
            refused = "".join(f" && !sameTerm({v}, {term(b)})" for b in sorted(bad, key=str))
            return _expr(f"(isLiteral({v}) && datatype({v}) = {term(rule)}{refused})")
        if param == SH.nodeKind:
            if not isinstance(rule, URIRef) or rule not in _NODE_KINDS:
                raise Unsupported(f"unknown sh:nodeKind {short(rule)}")
            return _expr(_NODE_KINDS[rule].format(v=v))
        if param == SH["in"]:
            members = [f"sameTerm({v}, {term(m)})" for m in self.list_(rule)]
            return _expr("(" + (" || ".join(members) or "false") + ")")
        if param == SH.hasValue:
            return _expr(f"sameTerm({v}, {term(rule)})")
        if param == SH.pattern:
            return self.pattern(rule, v)
        if param in (SH.minLength, SH.maxLength):
            op = ">=" if param == SH.minLength else "<="
            return _expr(f"(!isBlank({v}) && STRLEN(STR({v})) {op} {integer(rule)})")
        if param == SH.node:
            return self.conforms(rule, v)
        if param == SH["not"]:
            return Cond("not", parts=(self.conforms(rule, v),))
        alternatives = tuple(self.conforms(s, v) for s in self.list_(rule))
        return Cond("any" if param == SH["or"] else "all", parts=alternatives)

    def pattern(self, rule: Node, v: str) -> Cond:
        if not isinstance(rule, Literal) or not _SAFE_PATTERN.fullmatch(str(rule)):
            raise Unsupported(f"sh:pattern {rule!r} may read differently in SPARQL")
        return _expr(f"(!isBlank({v}) && REGEX(STR({v}), {term(Literal(str(rule)))}))")

    def conforms(self, shape: Node, v: str, depth: int = 0) -> Cond:
        """The condition: ``v`` conforms to the (nested) node shape ``shape``."""
        if depth > 8:
            raise Unsupported(f"{short(shape)}: shapes nested too deep (recursive?)")
        if deactivated(self.g, shape):
            return Cond("all")
        self.check(shape, nested=True)
        parts: list[Cond] = []
        if self.g.value(shape, SH.path) is not None:
            raise Unsupported(f"{short(shape)}: a property shape used as a node shape")
        for param in (*VALUE_PARAMS, SH.hasValue):
            for rule in self.g.objects(shape, param):
                parts.append(self.value(param, rule, v))
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            parts.extend(self.nested_property(prop, v))
        return Cond("all", parts=tuple(parts))

    def nested_property(self, prop: Node, v: str) -> Iterator[Cond]:
        # Every condition gets variables of its own: rendered as joins (holds, fails), a
        # variable shared by two conditions would tie them to the same value.
        if deactivated(self.g, prop):
            return
        self.check(prop, nested=True)
        p = term(self.path(prop))
        low = integer(self.g.value(prop, SH.minCount))
        if low is not None and low > 1:
            raise Unsupported(f"{short(prop)}: nested sh:minCount above 1")
        if low == 1:
            yield Cond("exists", self.triple(v, p, self.fresh()), var=v)
        high = integer(self.g.value(prop, SH.maxCount))
        if high is not None and high > 1:
            raise Unsupported(f"{short(prop)}: nested sh:maxCount above 1")
        if high == 0:
            yield Cond("not", parts=(Cond("exists", self.triple(v, p, self.fresh()), var=v),))
        elif high == 1:
            x = self.fresh()
            pair = f"{v} {p} {x}, {x}b"
            if self.facts is not None and p in self.facts.extra:
                pair = f"{self.triple(v, p, x)} . {self.triple(v, p, f'{x}b')}"
            two = Cond("exists", pair, (_expr(f"!sameTerm({x}, {x}b)"),), var=v)
            yield Cond("not", parts=(two,))
        has_value = self.g.value(prop, SH.hasValue)
        if has_value is not None:
            yield Cond("exists", self.triple(v, p, term(has_value)), var=v)
        for param in VALUE_PARAMS:
            for rule in self.g.objects(prop, param):
                x = self.fresh()
                bad = Cond("not", parts=(self.value(param, rule, x),))
                found = Cond("exists", self.triple(v, p, x), (bad,), var=v)
                yield Cond("not", parts=(found,))

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
