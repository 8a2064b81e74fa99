"""Compile SHACL shapes into SPARQL SELECT queries (the write gate's fast path).

Each active, targeted shape becomes one SELECT per constraint component, returning a
``?focus`` (and, for value constraints, a ``?value``) for every violation, the way SHACL
engines such as TopBraid's compile core constraints to SPARQL. The queries are built once
from the shapes graph; no data ever reaches their text (terms are serialised by
pyoxigraph). Semantics follow pyshacl without inference: ``sh:class`` and
``sh:targetClass`` use ``rdf:type/rdfs:subClassOf*`` over the data.

Supported: targets ``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``; predicate paths; ``sh:minCount``, ``sh:maxCount``,
``sh:class``, ``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``,
``sh:pattern`` (a conservative subset of regular expressions on which Python and
XPath agree, no ``sh:flags``), ``sh:minLength``, ``sh:maxLength``, ``sh:node``,
``sh:or``, ``sh:and``, ``sh:not``, ``sh:qualifiedValueShape`` with
``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``, and nested ``sh:property`` shapes
inside ``sh:node``/``sh:or`` with single-valued counts. A shape using anything else
is not compiled: it is listed in :attr:`CompiledShapes.fallback` (with the reason) and
left to pyshacl, so no constraint is ever skipped.

Datatype well-formedness (an ill-typed ``"abc"^^xsd:integer``) is decided in Python
while staging the data (:mod:`graph.shacl_staging`), with pyshacl's rules.

>>> from graph.gate import violation_shapes
>>> from graph.report import short
>>> from graph.validation import get_validator
>>> compiled = compile_shapes(violation_shapes(get_validator().shapes))
>>> compiled.fallback
()
>>> sorted({short(q.component) for q in compiled.queries})[:3]
['sh:ClassConstraintComponent', 'sh:DatatypeConstraintComponent', 'sh:InConstraintComponent']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph.report import SEVERITIES, Severity, short
from graph.shacl_conditions import (
    TARGETS,
    VALUE_PARAMS,
    Cond,
    Conditions,
    Facts,
    Unsupported,
    deactivated,
    expr,
    fails,
    holds,
    integer,
    positive,
    term,
)

__all__ = ["CompiledShapes", "ConstraintQuery", "compile_shapes"]


@dataclass(frozen=True)
class ConstraintQuery:
    """One constraint component of one shape as a SELECT of its violations.

    Attributes:
        shape: The ``sh:sourceShape`` of the results.
        path: The ``sh:resultPath`` (None for node-level constraints).
        component: The ``sh:sourceConstraintComponent``.
        severity: The shape's severity.
        message: The shape's ``sh:message`` (the first, sorted), or a generic one.
        sparql: ``SELECT ?focus ?value``; ``?value`` is unbound for count constraints.
        parts: For a whole store only: the query's WHERE as (before, focus, after), where
            ``focus`` is the pattern of the target nodes and ``before``/``after`` do not
            depend on the shape, so that queries differing only in their focus can be
            run as one (:mod:`graph.shacl_merge`); None for the write gate's queries.
    """

    shape: Node
    path: URIRef | None
    component: URIRef
    severity: Severity
    message: str
    sparql: str
    parts: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class CompiledShapes:
    """The compiled queries and the shapes left to pyshacl.

    Attributes:
        queries: One per constraint component of every compiled shape.
        fallback: Targeted shapes not compiled (pyshacl must check them).
        reasons: Why each fallback shape was not compiled.
        compiled: Targeted shapes compiled (their targets can be dropped for pyshacl).
    """

    queries: tuple[ConstraintQuery, ...]
    fallback: tuple[Node, ...]
    reasons: dict[Node, str]
    compiled: tuple[Node, ...]


def compile_shapes(shapes: Graph, facts: Facts | None = None) -> CompiledShapes:
    """Compile every active targeted shape of ``shapes``, or say why not.

    With ``facts`` the queries are for the one dataset they describe (a whole store):
    classes are read without property paths and conditions as joins and ``MINUS``
    (see :mod:`graph.shacl_conditions`); without, for any data (the write gate).

    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <urn:s> sh:targetClass <urn:C> ; sh:path <urn:p> ; sh:minCount 1 .
    ... <urn:t> sh:targetClass <urn:C> ; sh:path <urn:p> ; sh:lessThan <urn:q> .''')
    >>> from graph.report import short
    >>> c = compile_shapes(g)
    >>> [short(q.component) for q in c.queries], c.fallback
    (['sh:MinCountConstraintComponent'], (rdflib.term.URIRef('urn:t'),))
    """
    queries: list[ConstraintQuery] = []
    fallback: list[Node] = []
    reasons: dict[Node, str] = {}
    compiled: list[Node] = []
    targeted = {s for t in TARGETS for s in shapes.subjects(t, None)}
    for shape in sorted(targeted, key=str):
        if deactivated(shapes, shape):
            continue
        try:
            queries.extend(_Compiler(shapes, facts).top(shape))
        except Unsupported as exc:
            fallback.append(shape)
            reasons[shape] = str(exc)
        else:
            compiled.append(shape)
    return CompiledShapes(tuple(queries), tuple(fallback), reasons, tuple(compiled))


class _Compiler(Conditions):
    """Translates one targeted shape; raises :class:`Unsupported` on anything unknown."""

    def top(self, shape: Node) -> Iterator[ConstraintQuery]:
        self.check(shape, nested=False)
        focus = self._focus(shape)
        if self.g.value(shape, SH.path) is not None:
            yield from self._property(shape, focus)
            return
        for param in VALUE_PARAMS:
            for rule in self.g.objects(shape, param):
                cond = self.value(param, rule, "?value")
                where = f"{focus} BIND(?focus AS ?value) {self._fails(cond)}"
                yield self._query(shape, None, VALUE_PARAMS[param], where)
        has_value = self.g.value(shape, SH.hasValue)
        if has_value is not None:
            cond = self.value(SH.hasValue, has_value, "?value")
            where = f"{focus} BIND(?focus AS ?value) {self._fails(cond)}"
            yield self._query(shape, None, SH.HasValueConstraintComponent, where)
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            if deactivated(self.g, prop):
                continue
            self.check(prop, nested=False)
            yield from self._property(prop, focus)

    def _fails(self, cond: Cond) -> str:
        """Group elements keeping the rows whose ``?value`` fails ``cond``."""
        return fails(cond) if self.facts is not None else f"FILTER(!({expr(cond)}))"

    def _grouped(self, p: str, having: str) -> str:
        """A subquery: every ``?focus`` whose values of ``p`` pass ``having``."""
        values = self.triple("?focus", p, "?value")
        return f"SELECT ?focus WHERE {{ {values} }} GROUP BY ?focus HAVING ({having})"

    def _lacks(self, pattern: str) -> str:
        """Group elements keeping the rows (of ``?focus``) with no match of ``pattern``."""
        if self.facts is not None:
            return f"MINUS {{ {pattern} }}"
        return f"FILTER NOT EXISTS {{ {pattern} }}"

    def _focus(self, shape: Node) -> str:
        parts = []
        for c in self.g.objects(shape, SH.targetClass):
            parts.append(self.instance_of("?focus", c))
        for n in self.g.objects(shape, SH.targetNode):
            parts.append(f"VALUES ?focus {{ {term(n)} }}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{self.triple('?focus', term(p), '[]')} .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{self.triple('[]', term(p), '?focus')} .")
        return "{ " + " } UNION { ".join(parts) + " }"

    def _property(self, shape: Node, focus: str) -> Iterator[ConstraintQuery]:
        path = self.path(shape)
        p = term(path)
        distinct = f"{{ SELECT DISTINCT ?focus WHERE {{ {focus} }} }}"
        min_count = integer(self.g.value(shape, SH.minCount))
        if min_count is not None and min_count > 0:
            component = SH.MinCountConstraintComponent
            if min_count == 1:
                after = self._lacks(self.triple("?focus", p, "?x"))
                yield self._query(
                    shape, path, component, f"{focus} {after}", parts=("", focus, after)
                )
            elif self.facts is not None:
                # Foci with enough values, counted over the path alone, then removed.
                enough = f"COUNT(DISTINCT ?value) >= {min_count}"
                after = f"MINUS {{ {self._grouped(p, enough)} }}"
                yield self._query(
                    shape, path, component, f"{focus} {after}", parts=("", focus, after)
                )
            else:
                where = f"{distinct} OPTIONAL {{ ?focus {p} ?value }}"
                having = f"COUNT(DISTINCT ?value) < {min_count}"
                yield self._query(shape, path, component, where, having)
        parts: tuple[str, str, str] | None
        max_count = integer(self.g.value(shape, SH.maxCount))
        if max_count is not None:
            having = f"COUNT(DISTINCT ?value) > {max_count}"
            if self.facts is not None:
                # Counted over the path alone; only the few foci with too many are joined.
                before = f"{{ {self._grouped(p, having)} }}"
                where, parts = f"{before} {focus}", (before, focus, "")
                yield self._query(shape, path, SH.MaxCountConstraintComponent, where, parts=parts)
            else:
                where = f"{distinct} ?focus {p} ?value ."
                yield self._query(shape, path, SH.MaxCountConstraintComponent, where, having)
        has_value = self.g.value(shape, SH.hasValue)
        if has_value is not None:
            where = f"{focus} {self._lacks(self.triple('?focus', p, term(has_value)))}"
            yield self._query(shape, path, SH.HasValueConstraintComponent, where)
        for param, component in VALUE_PARAMS.items():
            for rule in self.g.objects(shape, param):
                cond = self.value(param, rule, "?value")
                parts = None
                if self.facts is not None:
                    # The path's failing values first, then their foci's targets: Oxigraph
                    # would otherwise join every focus first and filter afterwards.
                    values = self.triple("?focus", p, "?value")
                    failing = f"SELECT ?focus ?value WHERE {{ {values} . {fails(cond)} }}"
                    where, parts = f"{{ {failing} }} {focus}", (f"{{ {failing} }}", focus, "")
                else:
                    where = f"{focus} ?focus {p} ?value . FILTER(!({expr(cond)}))"
                yield self._query(shape, path, component, where, parts=parts)
        qualified = self.g.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            yield from self._qualified(shape, path, focus, qualified)

    def _qualified(
        self, shape: Node, path: URIRef, focus: str, qualified: Node
    ) -> Iterator[ConstraintQuery]:
        p = term(path)
        distinct = f"{{ SELECT DISTINCT ?focus WHERE {{ {focus} }} }}"
        low = integer(self.g.value(shape, SH.qualifiedMinCount))
        high = integer(self.g.value(shape, SH.qualifiedMaxCount))
        if low is None and high is None:
            raise Unsupported(f"{short(shape)}: sh:qualifiedValueShape without a count")
        component = SH.QualifiedMinCountConstraintComponent
        if low == 1:
            cond = self.conforms(qualified, "?x")
            if self.facts is None:
                where = f"{focus} FILTER NOT EXISTS {{ ?focus {p} ?x FILTER({expr(cond)}) }}"
                yield self._query(shape, path, component, where)
            else:
                # MINUS, evaluated once per query, rather than NOT EXISTS once per focus
                # (1.3 vs 0.3 s at 100k); ?focus is the only variable both sides bind.
                found, values = positive(cond), self.triple("?focus", p, "?x")
                if found is not None:
                    # Each side a subquery: joined by hash, not looked up per incident.
                    after = f"MINUS {{ {{ SELECT ?focus ?x WHERE {{ {values} }} }} {found} }}"
                else:
                    after = f"MINUS {{ {values} FILTER({expr(cond)}) }}"
                parts = ("", focus, after)
                yield self._query(shape, path, component, f"{focus} {after}", parts=parts)
        elif low is not None and low > 1:
            test = expr(self.conforms(qualified, "?value"))
            values = self.triple("?focus", p, "?value")
            where = f"{distinct} OPTIONAL {{ {values} FILTER({test}) }}"
            having = f"COUNT(DISTINCT ?value) < {low}"
            yield self._query(shape, path, component, where, having)
        if high is not None:
            cond_high = self.conforms(qualified, "?value")
            keep = holds(cond_high) if self.facts is not None else f"FILTER({expr(cond_high)})"
            where = f"{distinct} {self.triple('?focus', p, '?value')} {keep}"
            having = f"COUNT(DISTINCT ?value) > {high}"
            yield self._query(shape, path, SH.QualifiedMaxCountConstraintComponent, where, having)

    def _query(
        self,
        shape: Node,
        path: URIRef | None,
        component: URIRef,
        where: str,
        having: str | None = None,
        parts: tuple[str, str, str] | None = None,
    ) -> ConstraintQuery:
        if having is not None:
            sparql = f"SELECT ?focus WHERE {{ {where} }} GROUP BY ?focus HAVING ({having})"
        else:
            value = " ?value" if "?value" in where else ""
            sparql = f"SELECT DISTINCT ?focus{value} WHERE {{ {where} }}"
        # Parsed now, so that a compiler bug fails at start-up, not at a write.
        ox.Store().query(sparql)
        severity, message = self._severity(shape), self._message(shape, component)
        if self.facts is None:
            parts = None
        return ConstraintQuery(shape, path, component, severity, message, sparql, parts)

    def _severity(self, shape: Node) -> Severity:
        severity = self.g.value(shape, SH.severity)
        for name in SEVERITIES:
            if severity == SH[name]:
                return name
        if severity is not None:
            raise Unsupported(f"{short(shape)}: severity {short(severity)}")
        return "Violation"

    def _message(self, shape: Node, component: URIRef) -> str:
        messages = sorted(str(m) for m in self.g.objects(shape, SH.message))
        return messages[0] if messages else f"{short(component)} not satisfied"
