"""The write gate: Violation-level validation, fast enough for bulk imports.

A write only needs to know whether anything *must* be fixed. :class:`Gate` runs
pyshacl with the Violation-level shapes only (Warnings and Infos are for
curators: ``harmgraph validate``), which is several times faster on large
imports and gives identical Violations. Large imports are cut into batches of
incidents (each with what it references, :func:`graph.validation.closure`) that
run in parallel worker processes.

>>> from graph.validation import get_validator
>>> gate = Gate(get_validator())
>>> gate.validate(Graph()).conforms
True
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.model import HG
from graph.report import ValidationReport, ValidationResult
from graph.validation import Validator, closure

#: Below this many incoming incidents a single in-process run is cheaper than workers.
PARALLEL_THRESHOLD = 200
_RELAXED = (SH.Warning, SH.Info)


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


@dataclass
class _Batch:
    ntriples: bytes


# The gate a forked worker inherits (set in the parent just before the pool forks,
# so workers do not parse the shapes again).
_WORKER_GATE: Gate | None = None


def _run_batch(batch: _Batch) -> tuple[bool, list[ValidationResult], bytes]:
    assert _WORKER_GATE is not None  # noqa: S101 - set before the pool forks
    data = Graph().parse(data=batch.ntriples, format="nt")
    report = _WORKER_GATE.validate(data)
    return report.conforms, report.results, report.graph.serialize(format="nt", encoding="utf-8")


class Gate:
    """Violation-level validation of incoming data, in parallel for large imports."""

    def __init__(self, validator: Validator, *, workers: int | None = None) -> None:
        self._validator = Validator(violation_shapes(validator.shapes), validator.vocab)
        self.workers = workers if workers is not None else min(4, os.cpu_count() or 1)

    def validate(self, data: Graph) -> ValidationReport:
        """Validate ``data`` against the Violation-level shapes (one run, in process)."""
        return self._validator.validate(data)

    def check(self, data: Graph) -> ValidationReport:
        """Like :meth:`validate`, split across worker processes when ``data`` is large.

        >>> from graph.validation import get_validator
        >>> Gate(get_validator(), workers=2).check(Graph()).conforms
        True
        """
        incidents = sorted(
            (i for i in data.subjects(RDF.type, HG.Incident) if isinstance(i, URIRef)), key=str
        )
        if self.workers < 2 or len(incidents) < PARALLEL_THRESHOLD or not _can_fork():
            return self.validate(data)
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
        report_graph = Graph()
        conforms = True
        for ok, batch_results, nt in outcomes:
            conforms = conforms and ok
            results.extend(batch_results)
            report_graph.parse(data=nt, format="nt")
        return ValidationReport(
            conforms=conforms,
            results=sorted(results, key=ValidationResult.sort_key),
            graph=report_graph,
        )


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _fork() -> multiprocessing.context.BaseContext:
    return multiprocessing.get_context("fork")
