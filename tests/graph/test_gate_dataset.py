"""Tests of graph/gate_dataset.py: the gate compiled for the staged data decides as the
reference path does.

Every shape fixture (valid, invalid, warning) is imported by the fast path with the gate
compiled for the staged data (in this process and shared with a forked child) and by the
reference path (:func:`graph.ingest.import_graph`): the dataset gate must find a Violation
exactly when the reference rejects the import.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import gate_dataset, ingest_fast
from graph.errors import ShapeViolations
from graph.gate import gate_of, violation_shapes
from graph.gate_dataset import DatasetGate
from graph.ingest import import_graph
from graph.ingest_fast import import_files
from graph.io import parse
from graph.model import HG
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.validation import Validator

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = sorted((DATA / "shapes").glob("*/*.ttl"))


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(PROJECT_ROOT / "shapes", DATA / "vocab")


def _rejected(validator: Validator, fixture: Path, *, fast: bool) -> bool:
    store = Store.open("memory")
    try:
        if fast:
            import_files(store, [fixture], graph_name="curated", source="x", validator=validator)
        else:
            data = parse(fixture)
            import_graph(store, data, graph_name="curated", source="x", validator=validator)
    except ShapeViolations:
        assert len(store.ox) == 0
        return True
    return False


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f"{f.parent.name}/{f.stem}")
def test_dataset_gate_decides_as_the_reference_path(
    validator: Validator,
    fixture: Path,
    workers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingest_fast, "DATASET_GATE_MIN", 0)
    monkeypatch.setattr(ingest_fast, "GATE_FORK_MIN", 0 if workers == 2 else 10**12)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    dataset = gate_of(validator).dataset
    assert dataset is not None
    decisions: list[bool] = []
    decide = dataset.has_violation

    def spy(store: ox.Store, graph: ox.NamedNode, *, workers: int = 1) -> bool:
        decisions.append(decide(store, graph, workers=workers))
        return decisions[-1]

    monkeypatch.setattr(dataset, "has_violation", spy)
    reference = _rejected(validator, fixture, fast=False)
    assert _rejected(validator, fixture, fast=True) == reference
    assert decisions == [reference]
    if fixture.parent.name != "invalid":  # (resolution may repair an invalid fixture)
        assert not reference


def _staged(fixture: Path) -> tuple[ox.Store, ox.NamedNode]:
    store, graph = ox.Store(), ox.NamedNode("urn:x-test:g")
    store.load(path=str(fixture), format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store, graph


def test_queries_are_compiled_once_per_set_of_subclasses(validator: Validator) -> None:
    gate = DatasetGate(violation_shapes(validator.shapes))
    store, graph = _staged(DATA / "shapes" / "valid" / "inc-26-0068-complete.ttl")
    first = gate.queries(store, graph)
    assert gate.queries(store, graph) is first
    assert not any("subClassOf" in q for q in first)  # classes read without a path
    sub = ox.NamedNode("urn:x-test:SpecialIncident")
    subclass_of = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    store.add(ox.Quad(sub, subclass_of, ox.NamedNode(str(HG.Incident)), graph))
    assert gate.queries(store, graph) is not first
    assert any("urn:x-test:SpecialIncident" in q for q in gate.queries(store, graph))


def test_a_child_that_dies_leaves_its_half_to_the_parent(
    validator: Validator, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = DatasetGate(violation_shapes(validator.shapes))

    def die(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(gate_dataset, "_child", die)
    store, graph = ox.Store(), ox.NamedNode("urn:x-test:g")
    queries = gate.queries(store, graph)
    assert gate_dataset._split(store, graph, queries, []) is False
    incident = ox.NamedNode("https://w3id.org/harmgraph/id/incident/x")
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(ox.Quad(incident, a, ox.NamedNode(str(HG.Incident)), graph))
    assert gate_dataset._split(store, graph, queries, []) is True
    assert gate.has_violation(store, graph, workers=2) is True
