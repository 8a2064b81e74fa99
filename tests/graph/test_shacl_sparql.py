"""Differential tests: the compiled write gate finds exactly pyshacl's Violations.

pyshacl on the Violation-level shapes (``Gate.validate``) is the reference. Every shape
fixture, the curated incidents, a sample of the AIID snapshot and synthetic incidents
are checked as they are and mutated (a required property removed, a bad value added):
the sets of (focus node, path, source shape, constraint component, value) must be equal.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD

from bench.generate import write
from graph.gate import Gate, violation_shapes
from graph.gate_sparql import report_graph
from graph.importers.aiid import load_snapshot
from graph.model import HG, SCHEMA, VOCAB
from graph.report import ValidationResult
from graph.settings import PROJECT_ROOT
from graph.shacl_sparql import compile_shapes
from graph.validation import Validator, closure

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = sorted((DATA / "shapes").glob("*/*.ttl"))
Key = tuple[object, object, object, object, object]


@functools.cache
def _gate(vocab: Path) -> Gate:
    return Gate(Validator(PROJECT_ROOT / "shapes", vocab), workers=1)


def _keys(results: list[ValidationResult]) -> set[Key]:
    return {
        (r.focus_node, r.path, r.source_shape, r.constraint, r.value)
        for r in results
        if r.severity == "Violation"
    }


def _same(gate: Gate, data: Graph) -> set[Key]:
    """Assert that the compiled gate and pyshacl agree on ``data``; return the Violations."""
    reference = _keys(gate.validate(data).results)
    compiled = gate.check(data)
    assert _keys(compiled.results) == reference
    assert compiled.conforms == (not reference)
    return reference


def test_every_violation_shape_compiles() -> None:
    shapes = Validator(PROJECT_ROOT / "shapes", DATA / "vocab").shapes
    compiled = compile_shapes(violation_shapes(shapes))
    assert compiled.fallback == ()
    targeted = {s for s, o in shapes.subject_objects(SH.severity) if o == SH.Violation}
    assert set(compiled.compiled) == targeted
    assert _gate(DATA / "vocab").fallback is None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_gives_pyshacls_violations(path: Path) -> None:
    found = _same(_gate(DATA / "vocab"), Graph().parse(path, format="turtle"))
    assert bool(found) == (path.parent.name == "invalid")


# --- mutations --------------------------------------------------------------------

_VALID = DATA / "shapes" / "valid" / "inc-26-0068-complete.ttl"
_INCIDENT = URIRef("https://w3id.org/harmgraph/id/incident/inc-26-0068")
_REQUIRED = [
    DCTERMS.identifier,
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.date,
    HG.developer,
    HG.deployer,
    HG.aiSystem,
    HG.harmedGroup,
    PROV.wasDerivedFrom,
    HG.severity,
    HG.status,
    HG.evidenceLevel,
]
_BAD_VALUES = [
    (HG.developer, Literal("Palantir")),
    (HG.developer, URIRef("https://w3id.org/harmgraph/id/actor/nobody")),
    (HG.severity, VOCAB["severity/catastrophic"]),
    (HG.status, VOCAB["status/disputed"]),  # a second status
    (DCTERMS.date, Literal("2026-03-29T10:00:00", datatype=XSD.dateTime)),
    (DCTERMS.date, Literal("2026-02-30", datatype=XSD.date)),  # ill-typed
    (DCTERMS.modified, Literal("29 March 2026")),
    (HG.aiidNumber, Literal("twelve", datatype=XSD.integer)),  # ill-typed
    (HG.aiidNumber, Literal("12")),
    (HG.keyFact, URIRef("https://example.org/fact")),
    (HG.keyFact, BNode()),
    (HG.contributingFactor, VOCAB["pattern/PAT-PRI-003"]),
    (HG.threatPattern, Literal("PAT-PRI-003")),
    (DCTERMS.spatial, VOCAB["region/nowhere"]),
    (PROV.wasDerivedFrom, URIRef("https://example.org/not-a-source")),
    (HG.implicated, BNode()),
    (DCTERMS.identifier, Literal("INC-26-0068", lang="en")),
    (DCTERMS.title, URIRef("https://example.org/title")),
]


def _valid() -> Graph:
    return Graph().parse(_VALID, format="turtle")


@pytest.mark.parametrize("predicate", _REQUIRED, ids=lambda p: p.split("/")[-1].split("#")[-1])
def test_removing_a_required_property_is_found_by_both(predicate: URIRef) -> None:
    data = _valid()
    data.remove((_INCIDENT, predicate, None))
    found = _same(_gate(DATA / "vocab"), data)
    assert predicate in {path for _, path, *_ in found}


def _value_id(value: object) -> str:
    # A blank node's label is random: ids must be the same in every pytest-xdist worker.
    return "blank-node" if isinstance(value, BNode) else str(value)[-20:]


@pytest.mark.parametrize("predicate, value", _BAD_VALUES, ids=_value_id)
def test_adding_a_bad_value_is_found_by_both(predicate: URIRef, value: object) -> None:
    data = _valid().add((_INCIDENT, predicate, value))  # type: ignore[arg-type]
    found = _same(_gate(DATA / "vocab"), data)
    assert predicate in {path for _, path, *_ in found}


def _source_url_mutations() -> list[Callable[[Graph], None]]:
    def ftp(g: Graph) -> None:
        for source in set(g.subjects(RDF.type, HG.Source)):
            g.set((source, SCHEMA.url, Literal("ftp://example.org/x")))

    def blank(g: Graph) -> None:
        for source in set(g.subjects(RDF.type, HG.Source)):
            g.set((source, SCHEMA.url, BNode()))

    def untyped(g: Graph) -> None:
        g.remove((None, RDF.type, HG.Source))

    return [ftp, blank, untyped]


@pytest.mark.parametrize("mutate", _source_url_mutations(), ids=lambda f: f.__name__)
def test_sources_without_a_web_address_are_found_by_both(mutate: Callable[[Graph], None]) -> None:
    data = _valid()
    mutate(data)
    found = _same(_gate(DATA / "vocab"), data)
    assert {PROV.wasDerivedFrom, SCHEMA.url} & {path for _, path, *_ in found}


def test_subclass_instances_count_as_instances_for_both() -> None:
    data = _valid()
    sub = URIRef("https://example.org/Contractor")
    actor = URIRef("https://w3id.org/harmgraph/id/actor/contractor")
    data.add((sub, RDFS.subClassOf, HG.Actor)).add((actor, RDF.type, sub))
    data.add((_INCIDENT, HG.implicated, actor))
    found = _same(_gate(DATA / "vocab"), data)
    # the actor is an hg:Actor (no implicated violation) and is checked as one (no label)
    assert {(focus, path) for focus, path, *_ in found} == {(actor, RDFS.label)}


# --- real and synthetic data ------------------------------------------------------


@functools.cache
def _aiid_sample() -> Graph:
    snapshot = load_snapshot(PROJECT_ROOT / "data" / "aiid")
    incidents = sorted(snapshot.subjects(RDF.type, HG.Incident), key=str)[::12]
    return closure(snapshot, *incidents)  # type: ignore[arg-type]


def _curated() -> Graph:
    graph = Graph()
    for path in sorted((PROJECT_ROOT / "data" / "incidents").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _synthetic() -> Graph:
    out = io.StringIO()
    write(out, 60, seed=3)
    return Graph().parse(data=out.getvalue(), format="nt")


@pytest.mark.parametrize("load", [_curated, _aiid_sample, _synthetic], ids=lambda f: f.__name__)
def test_real_and_synthetic_data_give_pyshacls_violations(load: Callable[[], Graph]) -> None:
    data = load()
    assert len(set(data.subjects(RDF.type, HG.Incident))) >= 40
    _same(_gate(PROJECT_ROOT / "data" / "vocab"), data)


@pytest.mark.parametrize("load", [_curated, _aiid_sample, _synthetic], ids=lambda f: f.__name__)
def test_mutated_real_and_synthetic_data_give_pyshacls_violations(
    load: Callable[[], Graph],
) -> None:
    data = Graph() + load()
    incidents = sorted(data.subjects(RDF.type, HG.Incident), key=str)
    for k, incident in enumerate(incidents[:40]):
        predicate = _REQUIRED[k % len(_REQUIRED)]
        data.remove((incident, predicate, None))
        bad_predicate, bad_value = _BAD_VALUES[k % len(_BAD_VALUES)]
        data.add((incident, bad_predicate, bad_value))
    for actor in sorted(data.subjects(RDF.type, HG.Actor), key=str)[:5]:
        data.remove((actor, RDFS.label, None))
    found = _same(_gate(PROJECT_ROOT / "data" / "vocab"), data)
    assert len({focus for focus, *_ in found}) >= 40


# --- fallback ---------------------------------------------------------------------

_UNSUPPORTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hg: <https://w3id.org/harmgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<urn:shape:flags> sh:targetClass hg:Incident ; sh:path dcterms:identifier ;
    sh:pattern "^inc-" ; sh:flags "i" ; sh:message "flags" .
<urn:shape:dollar> sh:targetClass hg:Incident ; sh:path dcterms:identifier ;
    sh:pattern "[0-9]$" ; sh:message "dollar" .
<urn:shape:inverse> sh:targetClass hg:Actor ; sh:path [ sh:inversePath hg:developer ] ;
    sh:minCount 1 ; sh:message "inverse" .
<urn:shape:lessThan> sh:targetClass hg:Incident ; sh:path dcterms:date ;
    sh:lessThan dcterms:modified ; sh:message "lessThan" .
<urn:shape:ok> sh:targetClass hg:Incident ; sh:path dcterms:title ; sh:maxCount 0 ;
    sh:message "ok" .
"""


def test_unsupported_shapes_fall_back_to_pyshacl() -> None:
    shapes = Graph().parse(data=_UNSUPPORTED, format="turtle")
    compiled = compile_shapes(shapes)
    assert {str(s) for s in compiled.fallback} == {
        "urn:shape:flags",
        "urn:shape:dollar",
        "urn:shape:inverse",
        "urn:shape:lessThan",
    }
    assert {str(s) for s in compiled.compiled} == {"urn:shape:ok"}
    data = _valid()
    data.add((URIRef("https://w3id.org/harmgraph/id/actor/lonely"), RDF.type, HG.Actor))
    data.set((_INCIDENT, DCTERMS.identifier, Literal("X-1a")))
    data.add((_INCIDENT, DCTERMS.modified, Literal("2020-01-01", datatype=XSD.date)))
    gate = Gate(Validator(shapes, DATA / "vocab"), workers=1)
    found = _same(gate, data)
    assert {str(shape) for _, _, shape, *_ in found} == {
        "urn:shape:flags",
        "urn:shape:dollar",
        "urn:shape:inverse",
        "urn:shape:lessThan",
        "urn:shape:ok",
    }


def test_report_graph_has_one_result_per_violation() -> None:
    data = _valid()
    data.remove((_INCIDENT, HG.developer, None))
    report = _gate(DATA / "vocab").check(data)
    assert not report.conforms
    assert len(set(report.graph.objects(None, SH.result))) == len(report.results) == 1
    assert "hg:developer" in report.to_text()
    assert (None, SH.conforms, Literal(False)) in report_graph(report.results)
