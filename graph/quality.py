"""Whole-store validation and the data-quality report.

:func:`validate_store` checks the whole store against the shapes, as pyshacl over the
union of its data graphs and the vocabularies would, and says which incident each
result belongs to. It runs the shapes compiled to SPARQL over the store itself
(:mod:`graph.quality_sparql`), also when the store lacks the vocabularies (the queries
supply them); where that cannot give pyshacl's results (a remote store, a vocabulary
graph with triples a query could read, a shape the compiler leaves to pyshacl) it runs
pyshacl on every incident with what it references, in batches.

:func:`quality_summary` turns a report into the completeness overview curators read:
counts per shape and severity (with the shape's message), per source dataset
(incidents complete or not), and every incident with what it lacks. An incident is
*complete* when it has no Violation and no Warning (Info results are suggestions). The
service shows the summary at ``/quality`` (:mod:`api.quality`); ``harmgraph validate
--all`` prints it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal
from rdflib import Graph, URIRef

from graph import queries
from graph.model import META_GRAPH, VOCAB_GRAPH
from graph.quality_sparql import compiled_report
from graph.report import SEVERITIES, ValidationReport, ValidationResult, short
from graph.store import Store
from graph.validation import Validator, closure

#: Incidents validated per pyshacl run: large enough to amortise pyshacl's set-up,
#: small enough to keep each run's data graph small.
BATCH = 250
_COUNT_INCIDENTS = "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH ?g { ?i a hg:Incident } }"


def _union_graph(store: Store) -> Graph:
    """The union of the data graphs (not provenance or vocabularies) as one rdflib graph."""
    g = Graph()
    for s, p, o, name in store.quads():
        if name in (META_GRAPH, VOCAB_GRAPH):
            continue
        g.add((s, p, o))
    return g


def incidents(store: Store) -> list[URIRef]:
    """Every incident IRI in the store, sorted.

    >>> incidents(Store.open("memory"))
    []
    """
    return [URIRef(row["i"].value) for row in store.select(queries.ALL_INCIDENTS)]


def _batches(items: list[URIRef], size: int) -> Iterator[list[URIRef]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validate_store(
    store: Store,
    validator: Validator,
    progress: Callable[[int, int], None] | None = None,
    *,
    workers: int | None = None,
) -> ValidationReport:
    """Validate the whole store; one report for all of it.

    ``progress(done, total)`` is called first with ``done`` 0, then as the work
    advances (``total`` is the number of incidents, ``done`` the share of the work done,
    in incidents) and last with ``done == total``; an exception it raises stops the
    validation (that is how a caller cancels it). ``workers``: processes for an on-disk
    store (default: the cores, at most 4).

    >>> from graph.validation import get_validator
    >>> validate_store(Store.open("memory"), get_validator()).conforms
    True
    """
    total = _count_incidents(store)
    reported = [-1]

    def advance(done: int, total: int) -> None:
        if progress is not None and done != reported[0]:
            reported[0] = done
            progress(done, total)

    advance(0, total)
    report = compiled_report(store, validator, advance, total, workers)
    if report is not None:
        advance(total, total)
        return report
    return _pyshacl_store(store, validator, advance)


def _count_incidents(store: Store) -> int:
    for row in store.select(_COUNT_INCIDENTS):
        n = row["n"]
        return int(n.value) if isinstance(n, Literal) else 0
    return 0


def _pyshacl_store(
    store: Store, validator: Validator, progress: Callable[[int, int], None] | None
) -> ValidationReport:
    """pyshacl on every incident with what it references, in batches."""
    union = _union_graph(store)
    todo = incidents(store)
    results: list[ValidationResult] = []
    report_graph = Graph()
    conforms = True
    done = 0
    if progress is not None:
        progress(0, len(todo))
    for batch in _batches(todo, BATCH):
        report = validator.validate(closure(union, *batch))
        conforms = conforms and report.conforms
        results.extend(report.results)
        report_graph += report.graph
        done += len(batch)
        if progress is not None:
            progress(done, len(todo))
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)


@dataclass(frozen=True)
class Lack:
    """One thing an incident lacks or gets wrong: a validation result, for readers."""

    severity: str
    #: The property (short name, e.g. ``hg:contributingFactor``), or ``-``.
    path: str
    message: str
    #: The shape that found it (short name, e.g. ``hgsh:Incident-factor``), or ``-``.
    shape: str
    #: The node checked when it is not the incident itself (an actor, a source…).
    on: str | None = None


@dataclass
class IncidentQuality:
    """What one incident lacks, by severity (most serious first)."""

    iri: str
    identifier: str
    title: str
    datasets: tuple[str, ...]
    lacks: list[Lack] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Results per severity (every severity present, possibly 0)."""
        found = Counter(lack.severity for lack in self.lacks)
        return {s: found[s] for s in SEVERITIES}

    @property
    def complete(self) -> bool:
        """No Violation and no Warning (Info results are suggestions)."""
        return not any(lack.severity in ("Violation", "Warning") for lack in self.lacks)


@dataclass(frozen=True)
class ShapeCount:
    """How often one shape found something: results and distinct incidents."""

    shape: str
    severity: str
    path: str
    message: str
    results: int
    incidents: int


@dataclass
class DatasetCount:
    """Completeness of one source dataset (named graph)."""

    name: str
    incidents: int = 0
    complete: int = 0
    with_violations: int = 0
    with_warnings: int = 0
    results: Counter[str] = field(default_factory=Counter)


@dataclass
class QualitySummary:
    """Completeness across the store, for curators."""

    incidents: int
    by_severity: Counter[str] = field(default_factory=Counter)
    by_shape: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_dataset: dict[str, Counter[str]] = field(default_factory=dict)
    lacking: dict[str, list[str]] = field(default_factory=dict)
    #: Per shape, most results first, with the shape's message.
    shapes: list[ShapeCount] = field(default_factory=list)
    #: Per source dataset: incidents complete or not.
    datasets: dict[str, DatasetCount] = field(default_factory=dict)
    #: Every incident with at least one result, most serious first, then by identifier.
    incident_list: list[IncidentQuality] = field(default_factory=list)

    @property
    def complete(self) -> int:
        """Incidents with no Violation and no Warning."""
        return self.incidents - sum(not i.complete for i in self.incident_list)

    def to_text(self) -> str:
        """The summary as readable text."""
        lines = [f"{self.incidents} incident(s) checked, {self.complete} complete"]
        lines.append(
            "results: " + ", ".join(f"{n} {s}" for s, n in sorted(self.by_severity.items()))
        )
        lines.append("per shape (results, incidents, severity, path: message):")
        for sc in self.shapes:
            lines.append(
                f"  {sc.results:6d} {sc.incidents:6d}  {sc.severity:9s} {sc.path}: {sc.message}"
            )
        lines.append("per source dataset:")
        for name, d in sorted(self.datasets.items()):
            parts = ", ".join(f"{n} {s}" for s, n in sorted(d.results.items()))
            lines.append(
                f"  {name}: {d.incidents} incidents, {d.complete} complete, "
                f"{d.with_violations} with Violations, {d.with_warnings} with Warnings"
                + (f"; results: {parts}" if parts else "")
            )
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """Counts as JSON-ready data (the incident list is paginated by the caller)."""
        return {
            "incidents": self.incidents,
            "complete": self.complete,
            "results": {s: self.by_severity[s] for s in SEVERITIES},
            "shapes": [vars(sc) for sc in self.shapes],
            "datasets": {
                name: {**vars(d), "results": {s: d.results[s] for s in SEVERITIES}}
                for name, d in sorted(self.datasets.items())
            },
        }


def _name(graph: str) -> str:
    """A named graph's short name: ``aiid`` for ``…/graph/aiid``."""
    return graph.rsplit("/", 1)[-1]


def _lack(r: ValidationResult) -> Lack:
    on = None if r.focus_node == r.incident else short(r.focus_node)
    return Lack(r.severity, short(r.path), r.message, short(r.source_shape), on)


def quality_summary(store: Store, report: ValidationReport) -> QualitySummary:
    """Summarise ``report`` per shape, severity, source dataset and incident.

    >>> from graph.validation import get_validator
    >>> store = Store.open("memory")
    >>> quality_summary(store, validate_store(store, get_validator())).incidents
    0
    """
    names: dict[URIRef, IncidentQuality] = {}
    for row in store.select(queries.INCIDENT_NAMES):
        iri = URIRef(row["i"].value)
        known = names.get(iri)
        dataset = _name(row["g"].value)
        if known is None:
            ident, title = row["id"], row["title"]
            names[iri] = IncidentQuality(
                str(iri),
                ident.value if ident is not None else short(iri),
                title.value if title is not None else "",
                (dataset,),
            )
        else:
            known.datasets = tuple(sorted({*known.datasets, dataset}))
    summary = QualitySummary(incidents=len(names))
    per_shape: dict[tuple[str, str, str], list[ValidationResult]] = {}
    for r in sorted(report.results, key=ValidationResult.sort_key):
        summary.by_severity[r.severity] += 1
        summary.by_shape[(r.severity, short(r.path))] += 1
        per_shape.setdefault((short(r.source_shape), r.severity, short(r.path)), []).append(r)
        entry = names.get(r.incident) if r.incident is not None else None
        datasets = entry.datasets if entry is not None else ("unattached",)
        for dataset in datasets:
            summary.by_dataset.setdefault(dataset, Counter())[r.severity] += 1
        if entry is not None:
            entry.lacks.append(_lack(r))
            if r.severity != "Info":
                summary.lacking.setdefault(entry.iri, []).append(r.to_text())
    for (shape, severity, path), found in per_shape.items():
        message = Counter(r.message for r in found).most_common(1)[0][0]
        hit = len({r.incident for r in found if r.incident is not None})
        summary.shapes.append(ShapeCount(shape, severity, path, message, len(found), hit))
    summary.shapes.sort(key=lambda sc: (SEVERITIES.index(sc.severity), -sc.results, sc.shape))
    for entry in names.values():
        for dataset in entry.datasets:
            d = summary.datasets.setdefault(dataset, DatasetCount(dataset))
            d.incidents += 1
            d.complete += entry.complete
            d.with_violations += entry.counts["Violation"] > 0
            d.with_warnings += entry.counts["Warning"] > 0
            d.results.update(lack.severity for lack in entry.lacks)
    listed = [e for e in names.values() if e.lacks]
    listed.sort(key=lambda e: (*(-e.counts[s] for s in SEVERITIES), e.identifier))
    summary.incident_list = listed
    return summary
