"""Whole-store validation and the data-quality report.

:func:`validate_store` checks every incident in the store against the shapes
(each incident with what it references, in batches, so the report says which
incident each result belongs to). :func:`quality_summary` turns a report into
the completeness overview curators read: counts per shape and severity, per
source dataset, and every incident with what it lacks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from graph import queries
from graph.model import META_GRAPH, VOCAB_GRAPH
from graph.report import ValidationReport, ValidationResult, short
from graph.store import Store
from graph.validation import Validator, closure

#: Incidents validated per pyshacl run: large enough to amortise pyshacl's set-up,
#: small enough to keep each run's data graph small.
BATCH = 250


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


def validate_store(store: Store, validator: Validator) -> ValidationReport:
    """Validate every incident in the store; one report for all of them.

    >>> from graph.validation import get_validator
    >>> validate_store(Store.open("memory"), get_validator()).conforms
    True
    """
    union = _union_graph(store)
    results: list[ValidationResult] = []
    report_graph = Graph()
    conforms = True
    for batch in _batches(incidents(store), BATCH):
        report = validator.validate(closure(union, *batch))
        conforms = conforms and report.conforms
        results.extend(report.results)
        report_graph += report.graph
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)


@dataclass
class QualitySummary:
    """Completeness across the store, for curators."""

    incidents: int
    by_severity: Counter[str] = field(default_factory=Counter)
    by_shape: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_dataset: dict[str, Counter[str]] = field(default_factory=dict)
    lacking: dict[str, list[str]] = field(default_factory=dict)

    def to_text(self) -> str:
        """The summary as readable text."""
        lines = [f"{self.incidents} incident(s) checked"]
        lines.append(
            "results: " + ", ".join(f"{n} {s}" for s, n in sorted(self.by_severity.items()))
        )
        lines.append("per constraint (severity, path):")
        for (severity, path), n in self.by_shape.most_common():
            lines.append(f"  {n:6d}  {severity:9s} {path}")
        lines.append("per source dataset:")
        for dataset, counts in sorted(self.by_dataset.items()):
            parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            lines.append(f"  {dataset}: {parts}")
        return "\n".join(lines) + "\n"


def quality_summary(store: Store, report: ValidationReport) -> QualitySummary:
    """Summarise ``report`` per constraint, severity and source dataset."""
    dataset_of = {
        URIRef(row["i"].value): short(URIRef(row["g"].value))
        for row in store.select(queries.INCIDENT_GRAPHS)
    }
    summary = QualitySummary(incidents=len(dataset_of))
    for r in report.results:
        summary.by_severity[r.severity] += 1
        summary.by_shape[(r.severity, short(r.path))] += 1
        dataset = dataset_of.get(r.incident, "unattached") if r.incident else "unattached"
        summary.by_dataset.setdefault(dataset, Counter())[r.severity] += 1
        if r.incident is not None and r.severity != "Info":
            summary.lacking.setdefault(str(r.incident), []).append(r.to_text())
    return summary
