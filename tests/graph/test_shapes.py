"""Data-driven tests of shapes/harmgraph.ttl (pyshacl's own test style).

Every ``tests/data/shapes/valid/*.ttl`` has no Violation. Every ``invalid/*.ttl``
fails with exactly the Violations its ``# expect: <path> <shape>`` lines name, and
every ``warning/*.ttl`` has no Violation and exactly the Warnings it names. The
fixtures use the small stand-in vocabulary ``tests/data/vocab/test-vocab.ttl``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from graph.model import PREFIXES
from graph.report import ValidationReport
from graph.settings import PROJECT_ROOT
from graph.validation import Validator

DATA = Path(__file__).resolve().parent.parent / "data"
SHAPES = DATA / "shapes"
_EXPECT = re.compile(r"^# expect: (\S+) (\S+)\s*$", re.MULTILINE)
_NAMESPACES = {**PREFIXES, "hgsh": "https://w3id.org/harmgraph/shapes#"}


def _fixtures(kind: str) -> list[Path]:
    return sorted((SHAPES / kind).glob("*.ttl"))


def _iri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(_NAMESPACES[prefix] + local)


def _expected(path: Path) -> set[tuple[URIRef, URIRef]]:
    found = {(_iri(p), _iri(s)) for p, s in _EXPECT.findall(path.read_text(encoding="utf-8"))}
    assert found, f"{path.name} declares no '# expect: <path> <shape>' line"
    return found


def _validate(path: Path) -> ValidationReport:
    validator = Validator(PROJECT_ROOT / "shapes", DATA / "vocab")
    return validator.validate(Graph().parse(path, format="turtle"))


def _seen(report: ValidationReport, severity: str) -> set[tuple[object, object]]:
    return {(r.path, r.source_shape) for r in report.results if r.severity == severity}


@pytest.mark.parametrize("path", _fixtures("valid"), ids=lambda p: p.stem)
def test_valid_fixture_has_no_violation(path: Path) -> None:
    report = _validate(path)
    assert report.conforms, report.to_text()
    assert report.violations == []


@pytest.mark.parametrize("path", _fixtures("invalid"), ids=lambda p: p.stem)
def test_invalid_fixture_fails_with_expected_path(path: Path) -> None:
    report = _validate(path)
    assert not report.conforms
    assert _seen(report, "Violation") == _expected(path), report.to_text()


@pytest.mark.parametrize("path", _fixtures("warning"), ids=lambda p: p.stem)
def test_warning_fixture_warns_with_expected_path(path: Path) -> None:
    report = _validate(path)
    assert report.conforms, report.to_text()
    assert _seen(report, "Warning") == _expected(path), report.to_text()


def test_complete_fixture_has_no_warning() -> None:
    report = _validate(SHAPES / "valid" / "inc-26-0068-complete.ttl")
    assert report.warnings == [], report.to_text()


def test_minimal_fixture_warns_about_everything_it_lacks() -> None:
    report = _validate(SHAPES / "valid" / "inc-26-0068-minimal-unknowns.ttl")
    paths = {str(r.path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in report.warnings}
    assert paths == {
        "developer",
        "deployer",
        "contributingFactor",
        "threatPattern",
        "domain",
        "spatial",
        "severity",
        "status",
        "evidenceLevel",
        "sourceType",
    }


def test_every_violation_shape_has_an_invalid_fixture() -> None:
    shapes = Graph().parse(PROJECT_ROOT / "shapes" / "harmgraph.ttl", format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    targeted = {
        s
        for s in shapes.subjects(URIRef(sh + "targetClass"), None)
        if (s, URIRef(sh + "severity"), URIRef(sh + "Violation")) in shapes
    }
    covered = {shape for path in _fixtures("invalid") for _, shape in _expected(path)}
    assert targeted - covered == set()


def test_every_shape_has_a_message() -> None:
    shapes = Graph().parse(PROJECT_ROOT / "shapes" / "harmgraph.ttl", format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    targeted = set(shapes.subjects(URIRef(sh + "targetClass"), None))
    deactivated = set(shapes.subjects(URIRef(sh + "deactivated"), None))
    missing = {s for s in targeted - deactivated if shapes.value(s, URIRef(sh + "message")) is None}
    assert missing == set()
