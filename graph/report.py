"""SHACL validation reports: results grouped by incident, as JSON, Turtle and text.

A :class:`ValidationReport` is what :meth:`graph.validation.Validator.validate`
returns: the pyshacl report graph plus one :class:`ValidationResult` per
``sh:result``, each mapped to the incident its focus node belongs to.

>>> r = ValidationResult(
...     focus_node=URIRef("https://w3id.org/harmgraph/id/incident/x"),
...     incident=URIRef("https://w3id.org/harmgraph/id/incident/x"),
...     path=URIRef("https://w3id.org/harmgraph/ontology#developer"),
...     severity="Violation", message="Incident has no developer.")
>>> report = ValidationReport(conforms=False, results=[r], graph=Graph())
>>> print(report.to_text())
1 violation, 0 warnings, 0 infos
hgid:incident/x
  Violation hg:developer: Incident has no developer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.model import PREFIXES

Severity = Literal["Violation", "Warning", "Info"]

#: Severities, most serious first (the order of text reports).
SEVERITIES: tuple[Severity, ...] = ("Violation", "Warning", "Info")

#: Namespaces for short names, longest first so ``hgid:`` wins over a shorter match.
_SHORT = sorted(
    {
        **PREFIXES,
        "hgid": "https://w3id.org/harmgraph/id/",
        "hgsh": "https://w3id.org/harmgraph/shapes#",
    }.items(),
    key=lambda item: -len(item[1]),
)


def short(term: Node | None) -> str:
    """A readable short name for a term: ``hg:developer``, ``hgid:actor/palantir``.

    Not necessarily valid Turtle (local names may contain ``/``); for humans only.

    >>> short(URIRef("https://w3id.org/harmgraph/ontology#developer"))
    'hg:developer'
    >>> short(URIRef("https://example.org/x"))
    '<https://example.org/x>'
    """
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        for prefix, namespace in _SHORT:
            if term.startswith(namespace) and len(term) > len(namespace):
                return f"{prefix}:{term[len(namespace) :]}"
        return f"<{term}>"
    return term.n3()


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, explained.

    Attributes:
        focus_node: The node the shape was checked on.
        incident: The ``hg:Incident`` the focus node belongs to, or None for a
            resource shared by several incidents or referenced by none.
        path: The ``sh:resultPath`` (the property that is missing or wrong), or
            None for node-level results.
        severity: ``"Violation"``, ``"Warning"`` or ``"Info"``.
        message: What is missing and what a curator should add.
        value: The offending value, when there is one.
        source_shape: The shape that produced the result (e.g. ``hgsh:Incident-developer``).
        constraint: The SHACL constraint component (e.g. ``sh:MinCountConstraintComponent``).
    """

    focus_node: Node
    incident: URIRef | None
    path: Node | None
    severity: Severity
    message: str
    value: Node | None = None
    source_shape: Node | None = None
    constraint: Node | None = None

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Order by incident, severity (most serious first), path, focus node, message."""
        return (
            str(self.incident or "~"),
            SEVERITIES.index(self.severity),
            str(self.path or ""),
            str(self.focus_node),
            self.message,
        )

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready values (IRIs and literals as strings)."""
        return {
            "incident": _str(self.incident),
            "focus_node": _str(self.focus_node),
            "path": _str(self.path),
            "severity": self.severity,
            "message": self.message,
            "value": _str(self.value),
            "source_shape": _str(self.source_shape),
            "constraint": _str(self.constraint),
        }

    def to_text(self) -> str:
        """One line: ``Violation hg:developer: <message>`` plus where, if not the incident."""
        line = f"{self.severity} {short(self.path)}: {self.message}"
        where = []
        if self.value is not None:
            where.append(f"value {short(self.value)}")
        if self.focus_node != self.incident:
            where.append(f"on {short(self.focus_node)}")
        return f"{line} ({', '.join(where)})" if where else line


def _str(term: Node | None) -> str | None:
    return None if term is None else str(term)


@dataclass
class ValidationReport:
    """The outcome of validating a graph against the harmgraph shapes.

    Attributes:
        conforms: True iff there is no result of severity Violation.
        results: Every result, sorted by incident, severity and path.
        graph: The pyshacl report graph (``sh:ValidationReport``).
    """

    conforms: bool
    results: list[ValidationResult]
    graph: Graph = field(repr=False)

    @property
    def violations(self) -> list[ValidationResult]:
        """Results of severity Violation: the data must not be written."""
        return self._of("Violation")

    @property
    def warnings(self) -> list[ValidationResult]:
        """Results of severity Warning: what a complete incident should also have."""
        return self._of("Warning")

    @property
    def infos(self) -> list[ValidationResult]:
        """Results of severity Info: nice to have."""
        return self._of("Info")

    def _of(self, severity: Severity) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == severity]

    def by_incident(self) -> dict[URIRef | None, list[ValidationResult]]:
        """Results grouped by incident (None: shared or unattached resources, last)."""
        groups: dict[URIRef | None, list[ValidationResult]] = {}
        for result in sorted(self.results, key=ValidationResult.sort_key):
            groups.setdefault(result.incident, []).append(result)
        return groups

    def counts(self) -> dict[Severity, int]:
        """The number of results of each severity."""
        return {s: len(self._of(s)) for s in SEVERITIES}

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON-ready dict: ``conforms``, ``counts`` and ``results``."""
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [r.to_json() for r in sorted(self.results, key=ValidationResult.sort_key)],
        }

    def to_turtle(self) -> str:
        """The pyshacl report graph in Turtle."""
        for prefix, namespace in _SHORT:
            self.graph.bind(prefix, namespace, override=False)
        return self.graph.serialize(format="turtle")

    def to_text(self) -> str:
        """A readable report grouped by incident then severity, one line per result."""
        counts = self.counts()
        lines = [", ".join(_plural(counts[s], s.lower()) for s in SEVERITIES)]
        lines.extend(self._text_lines())
        return "\n".join(lines)

    def _text_lines(self) -> Iterator[str]:
        for incident, results in self.by_incident().items():
            yield short(incident) if incident is not None else "Shared or unattached resources"
            for result in results:
                yield "  " + result.to_text()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
