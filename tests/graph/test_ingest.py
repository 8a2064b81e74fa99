"""Tests of graph/ingest.py: validate-then-write, all or nothing, re-import, provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.term import Node

from graph import io, model
from graph.errors import NotFound, ShapeViolations
from graph.ingest import _is_local_part, delete_incident, import_graph
from graph.store import Store
from tests.backends import STORE_PARAMS, param_store, server_url

DATA = Path(__file__).parent.parent / "data"
SYNTHETIC = DATA / "ingest" / "synthetic.ttl"
CURATED = Path(__file__).parent.parent.parent / "data" / "incidents" / "inc-26-0068.ttl"
A = model.mint("incident", "test-a")
B = model.mint("incident", "test-b")
ACTOR = model.mint("actor", "example-developer")
GRAPH = model.named_graph("curated")


@dataclass
class FakeReport:
    violations: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations


class FakeValidator:
    """Flags every incident without a title, and records what it was given."""

    def __init__(self) -> None:
        self.seen: list[Graph] = []

    def check(self, data: Graph) -> FakeReport:
        return self.validate(data)

    def validate(self, data: Graph) -> FakeReport:
        self.seen.append(data)
        return FakeReport(
            [
                f"{i} has no title"
                for i in data.subjects(RDF.type, model.HG.Incident)
                if (i, DCTERMS.title, None) not in data
            ]
        )


@pytest.fixture(params=STORE_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    url = server_url(request)
    st = param_store(request.param, tmp_path, url)
    request.addfinalizer(st.close)
    return st


def synthetic() -> Graph:
    data = io.parse(SYNTHETIC)
    assert isinstance(data, Graph)
    return data


def _import(store: Store, data: Graph, validator: Any = None) -> Any:
    return import_graph(
        store,
        data,
        graph_name="curated",
        source="synthetic.ttl",
        validator=validator or FakeValidator(),
    )


def test_first_import_adds_incidents_into_the_named_graph(store: Store) -> None:
    data = synthetic()
    summary = _import(store, data)
    assert (summary.incidents_added, summary.incidents_updated) == (2, 0)
    assert summary.triples == len(data)
    assert summary.graph == GRAPH
    assert store.count(str(GRAPH)) == len(data)


def test_bad_incident_among_good_ones_writes_nothing(store: Store) -> None:
    _import(store, synthetic())
    before = store.count()
    batch = synthetic()
    batch.set((A, DCTERMS.title, Literal("Synthetic test incident A, changed")))
    c = model.mint("incident", "test-c")
    batch.add((c, RDF.type, model.HG.Incident))
    batch.add((c, DCTERMS.identifier, Literal("TEST-C")))  # no title: a violation
    with pytest.raises(ShapeViolations, match="1 SHACL violation") as info:
        _import(store, batch)
    assert info.value.report.violations == [f"{c} has no title"]
    assert store.count() == before
    titles = {o for _, _, o, _ in store.quads(A, DCTERMS.title)}
    assert titles == {Literal("Synthetic test incident A")}


def test_reimport_replaces_the_old_description(store: Store) -> None:
    _import(store, synthetic())
    changed = synthetic()
    changed.set((A, DCTERMS.title, Literal("Synthetic test incident A, corrected")))
    event2 = model.part(A, "event", 2)
    changed.remove((A, model.HG.timelineEvent, event2))
    changed.remove((event2, None, None))

    summary = _import(store, changed)

    assert (summary.incidents_added, summary.incidents_updated) == (0, 2)
    assert store.count(str(GRAPH)) == len(changed)
    assert [o for _, _, o, _ in store.quads(A, DCTERMS.title)] == [
        Literal("Synthetic test incident A, corrected")
    ]
    assert list(store.quads(event2)) == []
    outcomes = [o for _, _, o, _ in store.quads(A, model.HG.outcome)]
    assert len(outcomes) == 1 and isinstance(outcomes[0], BNode)


def test_reimport_of_identical_data_does_not_duplicate(store: Store) -> None:
    _import(store, synthetic())
    first = store.count(str(GRAPH))
    _import(store, synthetic())
    assert store.count(str(GRAPH)) == first  # blank nodes replaced, not doubled


def test_shared_entities_are_merged_not_duplicated(store: Store) -> None:
    _import(store, synthetic())
    only_b = Graph()
    for t in synthetic().triples((B, None, None)):
        only_b.add(t)
    only_b.add((ACTOR, RDF.type, model.HG.Actor))
    only_b.add((ACTOR, model.SCHEMA.url, Literal("https://example.org/")))
    _import(store, only_b)
    actor = {(p, o) for _, p, o, _ in store.quads(ACTOR)}
    assert len(actor) == 3  # type, label from the first import, url from the second
    assert (model.SCHEMA.url, Literal("https://example.org/")) in actor
    assert list(store.quads(A, DCTERMS.title)), "incident A is untouched by B's import"


def test_validation_sees_referenced_entities_from_the_store(store: Store) -> None:
    _import(store, synthetic())
    only_b = Graph()
    for t in synthetic().triples((B, None, None)):
        only_b.add(t)
    validator = FakeValidator()
    _import(store, only_b, validator)
    seen = validator.seen[0]
    assert (ACTOR, RDF.type, model.HG.Actor) in seen
    assert (A, DCTERMS.title, None) not in seen, "other incidents are not pulled in"


def test_provenance_is_recorded(store: Store) -> None:
    first = _import(store, synthetic())
    second = _import(store, synthetic())
    meta = str(model.META_GRAPH)
    act = {(p, o) for _, p, o, _ in store.quads(second.activity, graph=meta)}
    assert (RDF.type, PROV.Activity) in act
    assert (PROV.used, Literal("synthetic.ttl")) in act
    assert (PROV.generated, GRAPH) in act
    assert {p for p, _ in act} >= {PROV.startedAtTime, PROV.endedAtTime}
    on_graph = [(p, o) for _, p, o, _ in store.quads(GRAPH, graph=meta)]
    assert sorted(o for p, o in on_graph if p == PROV.wasGeneratedBy) == sorted(
        [first.activity, second.activity]
    )
    assert len([o for p, o in on_graph if p == DCTERMS.modified]) == 1


def test_source_url_is_recorded_as_an_iri(store: Store) -> None:
    summary = import_graph(
        store,
        synthetic(),
        graph_name="aiid",
        source="https://example.org/snapshot.tar.bz2",
        validator=FakeValidator(),
    )
    used = [o for _, _, o, _ in store.quads(summary.activity, PROV.used)]
    assert used == [URIRef("https://example.org/snapshot.tar.bz2")]


def test_delete_incident_removes_it_and_its_parts_only(store: Store) -> None:
    _import(store, synthetic())
    assert delete_incident(store, str(A)) == [GRAPH]
    assert list(store.quads(A)) == []
    assert list(store.quads(model.part(A, "event", 1))) == []
    assert list(store.quads(model.part(A, "unknown", "deployer"))) == []
    assert list(store.quads(B)), "B stays"
    assert list(store.quads(ACTOR)), "the shared actor stays"
    remaining = Graph()
    for s, p, o in store.graph_triples(str(GRAPH)):
        remaining.add((s, p, o))
    assert not any(isinstance(s, BNode) for s in remaining.subjects()), "blank nodes gone"
    with pytest.raises(NotFound):
        delete_incident(store, str(A))


def test_dataset_input_is_flattened_into_the_target_graph(store: Store) -> None:
    data = Dataset()
    data.graph(URIRef("http://example.org/elsewhere")).__iadd__(synthetic())
    summary = _import(store, data)
    assert summary.incidents_added == 2
    assert store.graphs() == sorted([GRAPH, model.META_GRAPH])
    assert store.count(str(GRAPH)) == len(synthetic())


def test_real_validator_accepts_curated_incident_and_rejects_a_broken_one(store: Store) -> None:
    validation = pytest.importorskip("graph.validation")
    validator = validation.get_validator()
    data = io.parse(CURATED)
    assert isinstance(data, Graph)
    summary = import_graph(
        store, data, graph_name="curated", source=CURATED.name, validator=validator
    )
    assert summary.incidents_added == 1
    before = store.count()
    incident = model.mint("incident", "INC-26-0068")
    broken = Graph() + data
    broken.remove((incident, DCTERMS.title, None))
    with pytest.raises(ShapeViolations):
        import_graph(store, broken, graph_name="curated", source="broken", validator=validator)
    assert store.count() == before


def test_real_validator_uses_entities_already_in_the_store(store: Store) -> None:
    """An incident whose actors, systems and sources came with an earlier import validates."""
    validation = pytest.importorskip("graph.validation")
    validator = validation.get_validator()
    data = io.parse(CURATED)
    assert isinstance(data, Graph)
    import_graph(store, data, graph_name="curated", source=CURATED.name, validator=validator)
    incident = model.mint("incident", "INC-26-0068")
    own = Graph()
    for s, p, o in data:
        if s == incident or str(s).startswith(f"{incident}/"):
            own.add((s, p, o))
    assert not validator.validate(own).conforms, "alone, the incident's references dangle"
    summary = import_graph(
        store, own, graph_name="curated", source="incident only", validator=validator
    )
    assert summary.incidents_updated == 1


def test_local_parts_are_found_by_prefix_lookup_among_many_incidents() -> None:
    # Regression: a linear scan over every incoming incident per referenced IRI made
    # the AIID import (1,365 incidents x 9,000 references) spend most of its time here.
    incidents: set[Node] = {model.mint("incident", f"aiid-{n}") for n in range(5000)}
    assert _is_local_part(model.part(model.mint("incident", "aiid-42"), "event", 1), incidents)
    assert not _is_local_part(model.mint("incident", "aiid-99999"), incidents)
    assert not _is_local_part(
        URIRef("https://w3id.org/harmgraph/id/incident/aiid-4200/event/1"),
        {model.mint("incident", "aiid-42")},
    )


def test_new_incident_naming_a_stored_system_with_an_unknown_developer_is_accepted(
    store: Store,
) -> None:
    """Regression: two steps into the store only types and labels were fetched, so a
    stored system's hg:Unknown developer lacked its skos:note and failed its shape."""
    validation = pytest.importorskip("graph.validation")
    validator = validation.get_validator()
    data = io.parse(CURATED)
    assert isinstance(data, Graph)
    import_graph(store, data, graph_name="curated", source=CURATED.name, validator=validator)
    old, new = model.mint("incident", "INC-26-0068"), model.mint("incident", "HG-TEST-001")
    system = model.mint("system", "ICE AI recruitment tool")
    assert (system, model.HG.developer, None) in data
    copy = Graph()
    for s, p, o in data:
        if s == old:
            copy.add((new, p, o))
    copy.set((new, DCTERMS.identifier, Literal("HG-TEST-001")))
    copy.remove((new, model.HG.timelineEvent, None))
    copy.remove((new, model.HG.outcome, None))
    copy.remove((new, model.HG.aiSystem, None))
    copy.add((new, model.HG.aiSystem, system))
    for role in (model.HG.developer, model.HG.harmedGroup, model.HG.deployer):
        for o in list(copy.objects(new, role)):
            if str(o).startswith(f"{old}/"):
                copy.remove((new, role, o))
    summary = import_graph(store, copy, graph_name="curated", source="copy", validator=validator)
    assert summary.incidents_added == 1
