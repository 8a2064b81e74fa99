"""The write gate: Violation-level validation, fast enough for bulk imports.

A write only needs to know whether anything *must* be fixed. :class:`Gate` checks
the Violation-level shapes only (Warnings and Infos are for curators:
``harmgraph validate``). The shapes are compiled to SPARQL once
(:mod:`graph.shacl_sparql`) and run over a staging pyoxigraph copy of the data
(:mod:`graph.gate_sparql`): the same Violations as pyshacl, several times faster.
Shapes the compiler does not translate are checked by pyshacl (with only those
shapes); large data is then cut into batches of incidents (each with what it
references, :func:`graph.validation.closure`) that run in parallel worker
processes. :meth:`Gate.validate` is the pyshacl reference.

>>> from graph.validation import get_validator
>>> gate = Gate(get_validator())
>>> gate.validate(Graph()).conforms
True
"""

from __future__ import annotations

import multiprocessing
import os
import weakref
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.gate_dataset import DatasetGate
from graph.gate_sparql import SparqlGate, report_graph
from graph.model import HG
from graph.report import ValidationReport, ValidationResult
from graph.shacl_sparql import CompiledShapes, compile_shapes
from graph.validation import Validator, closure

#: Below this many incoming incidents a single in-process run is cheaper than workers.
PARALLEL_THRESHOLD = 200
_RELAXED = (SH.Warning, SH.Info)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def violation_shapes(shapes: Graph) -> Graph:
    """``shapes`` without the shapes whose ``sh:severity`` is Warning or Info.

    >>> g = Graph()
    >>> s = URIRef("urn:s")
    >>> _ = g.add((s, SH.severity, SH.Warning)).add((URIRef("urn:n"), SH.property, s))
    >>> len(violation_shapes(g))
    0
    """
    relaxed = {s for s, o in shapes.subject_objects(SH.severity) if o in _RELAXED}
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    for s, p, o in shapes:
        if s not in relaxed and o not in relaxed:
            out.add((s, p, o))
    return out


def without_targets(shapes: Graph, compiled: tuple[object, ...]) -> Graph:
    """``shapes`` with the targets of the ``compiled`` shapes removed.

    What is left for pyshacl: untargeted shapes are never checked on their own, but
    still serve as nested shapes (``sh:node``, ``sh:or``) of the shapes that remain.

    >>> g = Graph().add((URIRef("urn:s"), SH.targetClass, URIRef("urn:C")))
    >>> len(without_targets(g, (URIRef("urn:s"),)))
    0
    """
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    done = set(compiled)
    for s, p, o in shapes:
        if not (s in done and p in _TARGETS):
            out.add((s, p, o))
    return out


@dataclass
class _Batch:
    ntriples: bytes


# The gate a forked worker inherits (set in the parent just before the pool forks,
# so workers do not parse the shapes again).
_WORKER_GATE: Gate | None = None


def _run_batch(batch: _Batch) -> tuple[bool, list[ValidationResult], bytes]:
    assert _WORKER_GATE is not None  # noqa: S101 - set before the pool forks
    assert _WORKER_GATE.fallback is not None  # noqa: S101 - only fallback shapes go to workers
    data = Graph().parse(data=batch.ntriples, format="nt")
    report = _WORKER_GATE.fallback.validate(data)
    return report.conforms, report.results, report.graph.serialize(format="nt", encoding="utf-8")


class Gate:
    """Violation-level validation of incoming data: compiled SPARQL, pyshacl where needed.

    Args:
        validator: The validator whose shapes and vocabularies the gate checks.
        workers: Processes for the pyshacl part of large imports (default: up to 4).
        sparql: Run the compiled shapes (default); False checks everything with pyshacl,
            as the gate did before (kept for comparisons).
    """

    def __init__(
        self, validator: Validator, *, workers: int | None = None, sparql: bool = True
    ) -> None:
        shapes = violation_shapes(validator.shapes)
        self._validator = Validator(shapes, validator.vocab)
        self.compiled: CompiledShapes | None = compile_shapes(shapes) if sparql else None
        self._sparql = SparqlGate(self.compiled, validator.vocab) if self.compiled else None
        #: pyshacl over the shapes the compiler left (None: every shape compiled).
        self.fallback: Validator | None = self._validator
        #: The shapes compiled for each staged dataset (None: some shape needs pyshacl).
        self.dataset: DatasetGate | None = None
        if self.compiled is not None:
            rest = without_targets(shapes, self.compiled.compiled)
            self.fallback = Validator(rest, validator.vocab) if self.compiled.fallback else None
            self.dataset = None if self.compiled.fallback else DatasetGate(shapes)
        self.workers = workers if workers is not None else min(4, os.cpu_count() or 1)

    @property
    def sparql(self) -> SparqlGate | None:
        """The compiled shapes' runner (None when the gate runs pyshacl only)."""
        return self._sparql

    def validate(self, data: Graph) -> ValidationReport:
        """Validate ``data`` against the Violation-level shapes with pyshacl (the reference)."""
        return self._validator.validate(data)

    def check(self, data: Graph) -> ValidationReport:
        """The gate: the Violations of ``data``, as :meth:`validate` finds them.

        >>> from graph.validation import get_validator
        >>> Gate(get_validator(), workers=2).check(Graph()).conforms
        True
        """
        results: list[ValidationResult] = []
        if self._sparql is not None:
            results = self._sparql.violations(data)
        if self.fallback is None:
            results.sort(key=ValidationResult.sort_key)
            graph = report_graph(results)
            return ValidationReport(conforms=_conforms(results), results=results, graph=graph)
        rest = self._pyshacl(self.fallback, data)
        if not results:
            return rest
        results = sorted(results + rest.results, key=ValidationResult.sort_key)
        return ValidationReport(
            conforms=_conforms(results), results=results, graph=rest.graph + report_graph(results)
        )

    def _pyshacl(self, validator: Validator, data: Graph) -> ValidationReport:
        """pyshacl with ``validator``'s shapes, split across worker processes when large."""
        incidents = sorted(
            (i for i in data.subjects(RDF.type, HG.Incident) if isinstance(i, URIRef)), key=str
        )
        if self.workers < 2 or len(incidents) < PARALLEL_THRESHOLD or not _can_fork():
            return validator.validate(data)
        size = -(-len(incidents) // (self.workers * 2))
        batches = [
            _Batch(closure(data, *incidents[i : i + size]).serialize(format="nt", encoding="utf-8"))
            for i in range(0, len(incidents), size)
        ]
        global _WORKER_GATE
        _WORKER_GATE = self
        try:
            with ProcessPoolExecutor(self.workers, mp_context=_fork()) as pool:
                outcomes = list(pool.map(_run_batch, batches))
        finally:
            _WORKER_GATE = None
        results: list[ValidationResult] = []
        merged = Graph()
        conforms = True
        for ok, batch_results, nt in outcomes:
            conforms = conforms and ok
            results.extend(batch_results)
            merged.parse(data=nt, format="nt")
        return ValidationReport(
            conforms=conforms,
            results=sorted(results, key=ValidationResult.sort_key),
            graph=merged,
        )


_GATES: weakref.WeakKeyDictionary[Validator, Gate] = weakref.WeakKeyDictionary()


def gate_of(validator: Validator) -> Gate:
    """The :class:`Gate` of ``validator``'s shapes, compiled once per validator.

    >>> from graph.validation import get_validator
    >>> gate_of(get_validator()) is gate_of(get_validator())
    True
    """
    gate = _GATES.get(validator)
    if gate is None:
        gate = _GATES[validator] = Gate(validator)
    return gate


def _conforms(results: list[ValidationResult]) -> bool:
    return not any(r.severity == "Violation" for r in results)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _fork() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork")
