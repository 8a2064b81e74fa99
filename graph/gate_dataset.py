"""The write gate compiled for one staged dataset: the fast import's gate for large data.

:meth:`graph.gate_sparql.SparqlGate.has_violation` runs the gate's queries, compiled for any
data: ``sh:targetClass`` and ``sh:class`` walk ``rdf:type/rdfs:subClassOf*`` and
conditions are ``FILTER NOT EXISTS`` per row. Full-store validation compiles the same
shapes for the one dataset it checks (:class:`graph.shacl_facts.Facts`: the classes'
subclasses read from the data, so no property path; joins and ``MINUS``; queries that
differ only in their focus run as one, :mod:`graph.shacl_merge`). :class:`DatasetGate`
does that for the fast import's staging graph once it holds everything the gate sees
(incoming triples, store context, vocabulary concepts, ill-typed literals marked with
:data:`graph.gate_sparql.ILL_TYPED`, which no ``sh:datatype`` accepts, so the facts list
no ill-typed literal): the same Violations, found in a fraction of the time on large data.
The queries are compiled once per set of subclasses (in practice once per process).

With ``workers=2`` the queries are shared with a forked child process (the staging store
is in memory: the child reads the parent's pages and touches nothing else), which answers
whether its half found a row; if the child fails, the parent runs its half itself.

>>> from graph.gate import violation_shapes
>>> from graph.validation import get_validator
>>> from graph.model import HG
>>> gate = DatasetGate(violation_shapes(get_validator().shapes))
>>> g = ox.NamedNode("urn:g")
>>> store = ox.Store()
>>> gate.has_violation(store, g)
False
>>> incident = ox.NamedNode("https://w3id.org/harmgraph/id/incident/x")
>>> a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
>>> store.add(ox.Quad(incident, a, ox.NamedNode(str(HG.Incident)), g))
>>> gate.has_violation(store, g)
True
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from multiprocessing.connection import Connection

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from graph.errors import HarmgraphError
from graph.shacl_facts import Facts
from graph.shacl_merge import merge_queries
from graph.shacl_sparql import compile_shapes
from graph.terms import from_ox

__all__ = ["DatasetGate"]

_EDGES = f"SELECT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> ?sup }}"
Subclasses = tuple[tuple[Node, tuple[Node, ...]], ...]


class DatasetGate:
    """The Violation-level ``shapes`` compiled for each staged dataset they check.

    Args:
        shapes: The shapes the gate checks (Violations only: :func:`graph.gate.violation_shapes`).
    """

    def __init__(self, shapes: Graph) -> None:
        self._shapes = shapes
        self._classes = {
            c
            for p in (SH.targetClass, SH["class"])
            for c in shapes.objects(None, p)
            if isinstance(c, URIRef)
        }
        self._compiled: dict[Subclasses, list[str]] = {}

    def has_violation(self, store: ox.Store, graph: ox.NamedNode, *, workers: int = 1) -> bool:
        """Whether a shape finds a Violation in ``graph`` of ``store`` (staged as the fast
        import stages it), with the queries compiled for that graph; ``workers=2`` shares
        them with a forked child process."""
        queries = self.queries(store, graph)
        if workers < 2 or not _can_fork():
            return _any_row(store, graph, queries)
        # Longest first (more joins), dealt out alternately: the halves take similar times.
        ordered = sorted(queries, key=len, reverse=True)
        return _split(store, graph, ordered[1::2], ordered[0::2])

    def queries(self, store: ox.Store, graph: ox.NamedNode) -> list[str]:
        """The queries for the data in ``graph``, compiled once per set of subclasses.

        Raises:
            HarmgraphError: a shape is left to pyshacl (the caller checked it is not).
        """
        key = self._subclasses(store, graph)
        queries = self._compiled.get(key)
        if queries is None:
            facts = Facts(subclasses={cls: frozenset(subs) for cls, subs in key})
            compiled = compile_shapes(self._shapes, facts)
            if compiled.fallback:
                raise HarmgraphError(f"shapes left to pyshacl: {compiled.fallback}")
            queries = [m.sparql for m in merge_queries(compiled.queries)]
            self._compiled[key] = queries
        return queries

    def _subclasses(self, store: ox.Store, graph: ox.NamedNode) -> Subclasses:
        """Per class the shapes name, itself and its ``rdfs:subClassOf*`` in ``graph``."""
        below: dict[Node, set[Node]] = {}
        rows = store.query(_EDGES, default_graph=graph)
        assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - a SELECT
        for row in rows:
            below.setdefault(from_ox(row["sup"]), set()).add(from_ox(row["sub"]))
        out = []
        for cls in sorted(self._classes, key=str):
            seen: set[Node] = {cls}
            todo: list[Node] = [cls]
            while todo:
                for sub in below.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            out.append((cls, tuple(sorted(seen, key=str))))
        return tuple(out)


def _any_row(store: ox.Store, graph: ox.NamedNode, queries: Sequence[str]) -> bool:
    for sparql in queries:
        rows = store.query(sparql, default_graph=graph)
        assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - compiled SELECTs
        if next(iter(rows), None) is not None:
            return True
    return False


def _child(
    store: ox.Store, graph: ox.NamedNode, queries: Sequence[str], answer: Connection
) -> None:
    answer.send(_any_row(store, graph, queries))
    answer.close()


def _split(
    store: ox.Store, graph: ox.NamedNode, theirs: Sequence[str], mine: Sequence[str]
) -> bool:
    """:func:`_any_row` of both halves, ``theirs`` in a forked child process."""
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(store, graph, theirs, writer), daemon=True)
    child.start()
    writer.close()
    try:
        if _any_row(store, graph, mine):
            return True
        try:
            return bool(reader.recv())
        except EOFError:  # the child died without answering: its half is run here
            return _any_row(store, graph, theirs)
    finally:
        reader.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _can_fork() -> bool:
    # A daemonic process may not start children.
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )
