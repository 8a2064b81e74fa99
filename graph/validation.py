"""SHACL validation of incidents against ``shapes/`` (pyshacl, no inference).

A :class:`Validator` parses the shapes and the vocabularies once and reuses them
for every graph it validates. Each data graph is validated together with the
vocabularies (open-scheme checks need ``skos:inScheme`` of the concepts used).
Validate many incidents in one call over their union: each result is mapped back
to its incident by :func:`incident_of`. :func:`closure` cuts one incident's
description out of a larger graph, so the cost of validating an incident depends
on the incident, not on the store.

>>> from graph.model import mint
>>> v = get_validator()
>>> g = Graph()
>>> _ = g.add((mint("incident", "INC-1"), RDF.type, HG.Incident))
>>> report = v.validate(g)
>>> report.conforms
False
>>> print(report.violations[0].to_text())  # doctest: +ELLIPSIS
Violation dcterms:date: Incident needs a dcterms:date saying when it happened, ...
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyshacl
from pyshacl.graph_abstraction import DataGraph
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from graph.errors import InvalidRDF, NotFound
from graph.model import HG, ID, PREFIXES, VOCAB
from graph.report import SEVERITIES, Severity, ValidationReport, ValidationResult
from graph.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from graph.gate import Gate

__all__ = [
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "closure",
    "get_validator",
    "incident_of",
]

#: How far :func:`closure` follows references from an incident (incident → system →
#: developer → parent organisation → …); real descriptions are at most 3 deep.
MAX_DEPTH = 6

_SEVERITY: dict[Node, Severity] = {SH[s]: s for s in SEVERITIES}
_SourceArg = Path | str | Graph | None


class Validator:
    """Validates RDF graphs against the harmgraph SHACL shapes.

    Args:
        shapes: The shapes: a ``.ttl`` file, a directory of them, or a parsed graph.
            Defaults to the bundled ``shapes/``.
        vocab: The SKOS vocabularies added to every validated graph: a file, a
            directory of ``.ttl`` files, or a graph. Defaults to ``data/vocab/``.

    Raises:
        NotFound: A shapes or vocabulary path that does not exist.
        InvalidRDF: A shapes or vocabulary file that does not parse.

    >>> Validator().shapes_count > 10
    True
    """

    def __init__(self, shapes: _SourceArg = None, vocab: _SourceArg = None) -> None:
        self._shapes = _load(shapes if shapes is not None else PROJECT_ROOT / "shapes")
        self._vocab = _load(vocab if vocab is not None else PROJECT_ROOT / "data" / "vocab")
        # pyshacl adds two system triples to the shapes graph on every run; runs are
        # serialised so concurrent callers never see the graph change under them.
        self._lock = threading.Lock()
        self._concepts = set(self._vocab.subjects())
        self._gate: Gate | None = None

    @property
    def shapes(self) -> Graph:
        """The parsed shapes graph (shared: do not modify)."""
        return self._shapes

    @property
    def vocab(self) -> Graph:
        """The parsed vocabularies added to every validated graph (shared: do not modify)."""
        return self._vocab

    def check(self, data: Graph) -> ValidationReport:
        """The write gate: Violations only, in parallel for large imports.

        Same Violations as :meth:`validate`, without the Warnings and Infos that
        only curators read (see :mod:`graph.gate`).

        >>> Validator().check(Graph()).conforms
        True
        """
        if self._gate is None:
            from graph.gate import Gate

            self._gate = Gate(self)
        return self._gate.check(data)

    @property
    def shapes_count(self) -> int:
        """The number of node and property shapes with an IRI."""
        kinds = (SH.NodeShape, SH.PropertyShape)
        return sum(
            1 for k in kinds for s in self._shapes.subjects(RDF.type, k) if isinstance(s, URIRef)
        )

    def validate(self, data: Graph) -> ValidationReport:
        """Validate ``data`` (plus the vocabularies) against the shapes.

        ``data`` may hold many incidents: one pyshacl run checks them all and every
        result says which incident it belongs to. A :class:`rdflib.Dataset` is
        validated as the union of its graphs. ``data`` itself is not modified.

        >>> Validator().validate(Graph()).conforms
        True
        """
        merged = Graph()
        triples = data.quads() if isinstance(data, Dataset) else data
        for s, p, o, *_ in triples:
            merged.add((s, p, o))
        # Only the vocabulary concepts the data uses: the shapes read a concept's own
        # triples (type, scheme), and copying the whole vocabulary cost half of a
        # single-incident write.
        for concept in {o for o in merged.objects() if o in self._concepts}:
            for t in self._vocab.triples((concept, None, None)):
                merged.add(t)
        with self._lock:
            run = _Run(
                DataGraph.from_rdflib(merged), shacl_graph=self._shapes, options=dict(_OPTIONS)
            )
            conforms, report_graph, _ = run.run()  # type: ignore[no-untyped-call]
        results = _results(report_graph, merged)
        return ValidationReport(conforms=bool(conforms), results=results, graph=report_graph)


#: pyshacl options: no inference, validate the merged copy in place, only Violations
#: make a graph non-conformant.
_OPTIONS = {
    "inference": "none",
    "inplace": True,
    "allow_warnings": True,
    "allow_infos": True,
    "logger": logging.getLogger("pyshacl"),
}


class _Run(pyshacl.Validator):
    """pyshacl's validator without its text report.

    pyshacl builds the text by repeated string concatenation, which is quadratic in
    the number of results: half of a 1,400-incident run went there. The report
    graph, which is all harmgraph reads, is built unchanged.
    """

    @classmethod
    def create_validation_report(
        cls, sg: object, conforms: bool, results: list[tuple[str, Node, object]]
    ) -> tuple[Graph, str]:
        report, _ = super().create_validation_report(
            sg, conforms, [("", node, triples) for _, node, triples in results]
        )
        return report, ""


def _results(report: Graph, data: Graph) -> list[ValidationResult]:
    incidents: dict[Node, URIRef | None] = {}
    results = []
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        if focus is None:
            continue
        if focus not in incidents:
            incidents[focus] = incident_of(data, focus)
        severity = _SEVERITY.get(report.value(node, SH.resultSeverity) or SH.Violation, "Violation")
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            ValidationResult(
                focus_node=focus,
                incident=incidents[focus],
                path=report.value(node, SH.resultPath),
                severity=severity,
                message=messages[0] if messages else "",
                value=report.value(node, SH.value),
                source_shape=report.value(node, SH.sourceShape),
                constraint=report.value(node, SH.sourceConstraintComponent),
            )
        )
    return sorted(results, key=ValidationResult.sort_key)


def incident_of(graph: Graph, focus: Node) -> URIRef | None:
    """The incident a node belongs to: itself, or the one incident that refers to it.

    References are followed backwards up to :data:`MAX_DEPTH` steps (an actor is
    reached from an incident through its AI system). A node that several incidents
    refer to at the same distance, or none, belongs to no single incident: None.

    >>> from graph.model import mint, part
    >>> g = Graph()
    >>> inc, event = mint("incident", "INC-1"), part(mint("incident", "INC-1"), "event", 1)
    >>> _ = g.add((inc, RDF.type, HG.Incident)).add((inc, HG.timelineEvent, event))
    >>> incident_of(g, event) == inc
    True
    """
    return walk_to_incident(
        focus, lambda node: graph.subjects(None, node), lambda node: _is_incident(graph, node)
    )


def walk_to_incident(
    focus: Node,
    subjects: Callable[[Node], Iterable[Node]],
    is_incident: Callable[[Node], bool],
) -> URIRef | None:
    """:func:`incident_of` over any data: ``subjects(node)`` gives what refers to ``node``.

    >>> walk_to_incident(URIRef("urn:x"), lambda node: [], lambda node: False) is None
    True
    """
    if is_incident(focus):
        return focus if isinstance(focus, URIRef) else None
    seen = {focus}
    frontier = [focus]
    for _ in range(MAX_DEPTH):
        found: set[Node] = set()
        upstream = []
        for node in frontier:
            for subject in subjects(node):
                if subject in seen:
                    continue
                seen.add(subject)
                if is_incident(subject):
                    found.add(subject)
                else:
                    upstream.append(subject)
        if found:
            only = found.pop() if len(found) == 1 else None
            return only if isinstance(only, URIRef) else None
        frontier = upstream
    return None


def closure(graph: Graph, *incidents: URIRef) -> Graph:
    """The incidents' own triples plus the descriptions of everything they reference.

    Follows references forwards from each incident (actors, AI systems, harmed
    groups, unknowns, sources, timeline events, outcomes, and what those reference:
    a system's developer, an event's source, a parent organisation), up to
    :data:`MAX_DEPTH` steps. It never follows ``rdf:type``, never enters another
    incident, and takes only the own triples of vocabulary concepts, so the result
    depends on the incidents, not on the size of ``graph``. A
    :class:`rdflib.Dataset` with ``default_union`` works as the union of its graphs.

    >>> from graph.model import mint
    >>> g = Graph()
    >>> a, b, actor = mint("incident", "a"), mint("incident", "b"), mint("actor", "X")
    >>> for inc in (a, b):
    ...     _ = g.add((inc, RDF.type, HG.Incident)).add((inc, HG.developer, actor))
    >>> _ = g.add((actor, RDF.type, HG.Actor))
    >>> sorted({str(s) for s in closure(g, a).subjects()})  # doctest: +NORMALIZE_WHITESPACE
    ['https://w3id.org/harmgraph/id/actor/x',
     'https://w3id.org/harmgraph/id/incident/a']
    """
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    out.bind("hgid", ID)
    roots = set(incidents)
    seen: set[Node] = set(roots)
    frontier: list[Node] = list(roots)
    for _ in range(MAX_DEPTH + 1):
        nxt: list[Node] = []
        for node in frontier:
            for s, p, o in graph.triples((node, None, None)):
                out.add((s, p, o))
                if p == RDF.type or isinstance(o, Literal) or o in seen:
                    continue
                seen.add(o)
                if _is_concept(o):
                    for triple in graph.triples((o, None, None)):
                        out.add(triple)
                elif not _is_incident(graph, o):
                    nxt.append(o)
        frontier = nxt
    return out


def _is_incident(graph: Graph, node: Node) -> bool:
    return (node, RDF.type, HG.Incident) in graph


def _is_concept(node: Node) -> bool:
    return isinstance(node, URIRef) and (node.startswith(VOCAB) or node.startswith(HG))


def _load(source: Path | str | Graph) -> Graph:
    if isinstance(source, Graph):
        return source
    path = Path(source)
    if not path.exists():
        raise NotFound(f"{path}: no such file or directory")
    files = sorted(path.glob("*.ttl")) if path.is_dir() else [path]
    graph = Graph()
    for file in files:
        try:
            graph.parse(file, format="turtle")
        except BadSyntax as exc:
            raise InvalidRDF(exc.message, file=str(file), line=exc.lines + 1) from exc
    return graph


def get_validator(settings: Settings | None = None) -> Validator:
    """The validator for the configured shapes and vocabularies, built once and cached.

    The cache key is the two paths and the size and modification time of their
    files, so an edited shape is picked up without a restart.

    >>> get_validator() is get_validator()
    True
    """
    shapes = (settings.shapes_dir if settings else PROJECT_ROOT / "shapes").resolve()
    vocab = ((settings.data_dir if settings else PROJECT_ROOT / "data") / "vocab").resolve()
    return _cached_validator(shapes, vocab, _fingerprint(shapes) + _fingerprint(vocab))


@functools.lru_cache(maxsize=8)
def _cached_validator(shapes: Path, vocab: Path, fingerprint: tuple[object, ...]) -> Validator:
    return Validator(shapes, vocab)


def _fingerprint(path: Path) -> tuple[object, ...]:
    files: Iterable[Path] = sorted(path.glob("*.ttl")) if path.is_dir() else [path]
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.exists())
