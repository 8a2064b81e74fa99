"""Full-store validation as SPARQL over the store itself, in parallel worker processes.

The shapes of every tier are compiled for the store (:func:`graph.shacl_store.store_dataset`
gives the dataset and its facts; :func:`graph.shacl_sparql.compile_shapes` the queries)
and run over the read-only store: no copy of the data, no rdflib graph. An on-disk store is
opened read-only by each of a few worker processes, which take the queries one by one,
slowest first; an in-memory store runs them in this process (as does a daemonic
process: the server's data-quality child, which leaves the other cores to requests).
Each result is pyshacl's (focus node, path, severity, message, value, shape, constraint
component) over the union of the data graphs and the vocabularies, and says which
incident it belongs to
(:class:`IncidentIndex`, :func:`graph.validation.incident_of` over the whole store).

>>> from graph.store import Store
>>> from graph.validation import get_validator
>>> compiled_report(Store.open("memory"), get_validator()).conforms
True
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.gate_sparql import report_graph
from graph.model import HG
from graph.remote import RemoteStore
from graph.report import ValidationReport, ValidationResult
from graph.shacl_merge import MergedQuery, merge_queries
from graph.shacl_sparql import CompiledShapes, compile_shapes
from graph.shacl_store import StoreDataset, store_dataset
from graph.store import Store
from graph.terms import from_ox, to_ox
from graph.validation import Validator, walk_to_incident

__all__ = ["IncidentIndex", "LazyReport", "compiled_report", "run_queries"]

Progress = Callable[[int, int], None]
Row = tuple[object, ...]
_INCIDENTS = f"SELECT DISTINCT ?i WHERE {{ ?i <{RDF.type}> <{HG.Incident}> }}"


class LazyReport(ValidationReport):
    """A report whose ``sh:ValidationReport`` graph is built when first read (at 100,000
    incidents it is millions of triples that the quality summary never reads)."""

    _built: Graph | None = None

    @property
    def graph(self) -> Graph:
        """The pyshacl-style report graph of the results."""
        if self._built is None:
            self._built = report_graph(self.results)
        return self._built

    @graph.setter
    def graph(self, value: Graph | None) -> None:
        self._built = value


def compiled_report(
    store: Store,
    validator: Validator,
    progress: Progress | None = None,
    total: int = 0,
    workers: int | None = None,
) -> ValidationReport | None:
    """Every result of the shapes on the store, or None when the compiled path cannot
    give pyshacl's results (a remote store, triples beyond the vocabularies in the
    vocabulary graph that a query could read, a shape the compiler leaves to pyshacl)."""
    if isinstance(store, RemoteStore):
        return None
    dataset = store_dataset(store, validator)
    if dataset is None:
        return None
    compiled = compile_shapes(validator.shapes, dataset.facts)
    if compiled.fallback:
        return None
    index = IncidentIndex(store, dataset.data_graphs, validator.vocab)
    with _no_cycle_collection():
        return _report(store, dataset, compiled, index, progress, total, workers)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of results, none of them in
    a cycle, are built: each full collection walks all of them (0.6 s of CPU at 100k)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _report(
    store: Store,
    dataset: StoreDataset,
    compiled: CompiledShapes,
    index: IncidentIndex,
    progress: Progress | None,
    total: int,
    workers: int | None,
) -> ValidationReport:
    terms = _Terms()
    results = []
    # Results are built while the workers run the remaining queries.
    for k, found in run_queries(store, dataset, compiled, progress, total, workers):
        query = compiled.queries[k]
        for row in found:
            focus = terms.back(row[0])
            results.append(
                ValidationResult(
                    focus_node=focus,
                    incident=index.incident_of(focus),
                    path=query.path,
                    severity=query.severity,
                    message=query.message,
                    value=terms.back(row[1]) if len(row) > 1 else None,
                    source_shape=query.shape,
                    constraint=query.component,
                )
            )
    results.sort(key=ValidationResult.sort_key)
    conforms = not any(r.severity == "Violation" for r in results)
    return LazyReport(conforms=conforms, results=results, graph=None)  # type: ignore[arg-type]


def run_queries(
    store: Store,
    dataset: StoreDataset,
    compiled: CompiledShapes,
    progress: Progress | None = None,
    total: int = 0,
    workers: int | None = None,
) -> Iterator[tuple[int, list[Row]]]:
    """(index of the query, its rows) for every compiled query over ``dataset.graphs``,
    as they are answered; ``progress`` after each. Queries differing only in their focus
    nodes run as one (:func:`graph.shacl_merge.merge_queries`)."""
    merged = merge_queries(compiled.queries)
    count = workers if workers is not None else min(4, os.cpu_count() or 1)
    done = 0
    for answers in _answers(store, dataset.graphs, merged, count):
        for answer in answers:
            yield answer
            done += 1
            if progress is not None:
                progress(total * done // len(compiled.queries), total)


Task = tuple[MergedQuery, tuple[str, ...]]


def _answers(
    store: Store, graphs: tuple[str, ...], queries: list[MergedQuery], workers: int
) -> Iterator[list[tuple[int, list[Row]]]]:
    # Slowest first (joins and MINUS over more patterns), so no worker is left with a
    # long query at the end.
    ordered = sorted(queries, key=lambda q: -len(q.sparql))
    tasks: list[Task] = [(q, graphs) for q in ordered]
    # A daemonic process (the server's niced data-quality child) may not start processes;
    # it runs the queries itself, leaving the other cores to the requests.
    if store.location == "memory" or workers < 2 or multiprocessing.current_process().daemon:
        for task in tasks:
            yield _answer(store.ox, task)
        return
    ctx = multiprocessing.get_context("spawn")  # never fork a process holding RocksDB
    pool: Pool = ctx.Pool(workers, initializer=_open, initargs=(store.location,))
    try:
        yield from pool.imap_unordered(_run, tasks)
        pool.close()
    finally:
        pool.terminate()  # also when the caller stops (progress raised)
        pool.join()


_WORKER_STORE: ox.Store | None = None


def _open(location: str) -> None:
    global _WORKER_STORE
    _WORKER_STORE = ox.Store.read_only(location)


def _run(task: Task) -> list[tuple[int, list[Row]]]:
    assert _WORKER_STORE is not None  # noqa: S101 - set by the pool's initializer
    return _answer(_WORKER_STORE, task)


def _answer(store: ox.Store, task: Task) -> list[tuple[int, list[Row]]]:
    """(index of the compiled query, its rows) for each member of one merged query."""
    query, graphs = task
    rows = _rows(store, query.sparql, graphs)
    return list(zip(query.members, query.split(rows), strict=True))


def _rows(store: ox.Store, sparql: str, graphs: tuple[str, ...]) -> list[Row]:
    """The rows of one query; IRIs as plain strings (cheaper to send between processes)."""
    solutions = store.query(sparql, default_graph=[ox.NamedNode(g) for g in graphs])
    assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - compiled SELECTs
    return [
        tuple(t.value if type(t) is ox.NamedNode else t for t in row if t is not None)
        for row in solutions
    ]


class _Terms:
    """rdflib terms of the rows' terms, each converted once."""

    def __init__(self) -> None:
        self._known: dict[object, Node] = {}

    def back(self, term: object) -> Node:
        node = self._known.get(term)
        if node is None:
            node = URIRef(term) if isinstance(term, str) else from_ox(term)
            self._known[term] = node
        return node


class IncidentIndex:
    """:func:`graph.validation.incident_of` over the store's data graphs and the vocabularies.

    >>> index = IncidentIndex(Store.open("memory"), (), Graph())
    >>> index.incident_of(URIRef("urn:x")) is None
    True
    """

    def __init__(self, store: Store, data_graphs: tuple[str, ...], vocab: Graph) -> None:
        self._store = store.ox
        self._graphs = {ox.NamedNode(g) for g in data_graphs}
        self._vocab = vocab
        self._known: dict[Node, URIRef | None] = {}
        self._incidents: set[Node] = set(vocab.subjects(RDF.type, HG.Incident))
        if data_graphs:
            rows = store.select(_INCIDENTS, default_graph=data_graphs, prefixes=None)
            self._incidents.update(from_ox(row["i"]) for row in rows)

    def incident_of(self, focus: Node) -> URIRef | None:
        """The incident ``focus`` belongs to (itself, or the one incident nearest to it)."""
        if focus not in self._known:
            self._known[focus] = self._find(focus)
        return self._known[focus]

    def _is_incident(self, node: Node) -> bool:
        return node in self._incidents

    def _subjects(self, node: Node) -> set[Node]:
        found: set[Node] = set(self._vocab.subjects(None, node))
        for q in self._store.quads_for_pattern(None, None, to_ox(node), None):
            if q.graph_name in self._graphs:
                found.add(from_ox(q.subject))
        return found

    def _find(self, focus: Node) -> URIRef | None:
        return walk_to_incident(focus, self._subjects, self._is_incident)
