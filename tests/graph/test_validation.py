"""Tests of graph/validation.py and graph/report.py: reports, closure, incident mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

from graph.errors import InvalidRDF, NotFound
from graph.model import HG, ID, SCHEMA, mint, part
from graph.settings import PROJECT_ROOT, Settings
from graph.validation import Validator, closure, get_validator, incident_of

DATA = Path(__file__).resolve().parent.parent / "data"
COMPLETE = DATA / "shapes" / "valid" / "inc-26-0068-complete.ttl"
INC = mint("incident", "INC-26-0068")
PALANTIR = mint("actor", "Palantir")


@pytest.fixture
def validator() -> Validator:
    return Validator(PROJECT_ROOT / "shapes", DATA / "vocab")


def _complete() -> Graph:
    return Graph().parse(COMPLETE, format="turtle")


def _copy_as(graph: Graph, slug: str) -> Graph:
    """The complete fixture's incident and its parts under another incident IRI."""
    other = str(mint("incident", slug))

    def rename(term: object) -> object:
        if isinstance(term, URIRef) and term.startswith(str(INC)):
            return URIRef(other + term[len(str(INC)) :])
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((rename(s), p, rename(o)))  # type: ignore[arg-type]
    return out


def _two_incidents() -> Graph:
    """The complete fixture plus a copy, ``inc-copy``, that shares its actors and sources."""
    graph = _complete()
    graph += _copy_as(_complete(), "inc-copy")
    return graph


# ---------------------------------------------------------------- reports


def test_results_are_grouped_by_incident_and_mapped_from_parts(validator: Validator) -> None:
    graph = _two_incidents()
    copy = mint("incident", "inc-copy")
    graph.remove((copy, HG.developer, None))
    graph.remove((part(copy, "event", 1), HG.order, None))

    report = validator.validate(graph)

    groups = report.by_incident()
    assert not report.conforms
    assert {(r.path, r.focus_node) for r in groups[copy] if r.severity == "Violation"} == {
        (HG.developer, copy),
        (HG.order, part(copy, "event", 1)),
    }
    assert [r.severity for r in groups[INC]] == ["Info"]


def test_text_report_lines(validator: Validator) -> None:
    graph = _complete()
    graph.remove((INC, HG.developer, None))

    text = validator.validate(graph).to_text()

    lines = text.splitlines()
    assert lines[0] == "1 violation, 1 warning, 1 info"
    assert lines[1] == "hgid:incident/inc-26-0068"
    assert lines[2].startswith("  Violation hg:developer: Incident needs a developer: add ")
    assert lines[3].startswith("  Warning hg:developer: Incident has no known developer")
    assert lines[4].startswith("  Info hg:harmType: ")


def test_text_report_says_where_a_part_fails(validator: Validator) -> None:
    graph = _complete()
    graph.remove((PALANTIR, RDFS.label, None))

    text = validator.validate(graph).to_text()

    assert "  Violation rdfs:label: Actor needs exactly one rdfs:label" in text
    assert text.splitlines()[2].endswith("(on hgid:actor/palantir)")


def test_json_report(validator: Validator) -> None:
    graph = _complete()
    graph.add((INC, HG.severity, URIRef("https://w3id.org/harmgraph/vocab/severity/low")))

    doc = json.loads(json.dumps(validator.validate(graph).to_json()))

    assert doc["conforms"] is False
    assert doc["counts"] == {"Violation": 1, "Warning": 0, "Info": 1}
    violation = doc["results"][0]
    assert violation["incident"] == str(INC)
    assert violation["path"] == str(HG.severity)
    assert violation["source_shape"] == "https://w3id.org/harmgraph/shapes#Incident-severity"
    assert violation["constraint"] == str(SH.MaxCountConstraintComponent)
    assert "exactly one hg:severity" in violation["message"]


def test_turtle_report_is_the_shacl_report_graph(validator: Validator) -> None:
    graph = _complete()
    graph.remove((INC, HG.developer, None))
    report = validator.validate(graph)

    parsed = Graph().parse(data=report.to_turtle(), format="turtle")

    node = parsed.value(None, RDF.type, SH.ValidationReport)
    assert parsed.value(node, SH.conforms) == Literal(False)
    assert len(list(parsed.objects(node, SH.result))) == len(report.results) == 3


def test_warnings_and_infos_do_not_break_conformance(validator: Validator) -> None:
    graph = _complete()
    graph.remove((INC, HG.domain, None))

    report = validator.validate(graph)

    assert report.conforms
    assert [r.path for r in report.warnings] == [HG.domain]
    assert [r.path for r in report.infos] == [HG.harmType]


# ---------------------------------------------------------------- unknown vs absent


def test_explicit_unknown_developer_is_a_warning_not_a_violation(validator: Validator) -> None:
    graph = _complete()
    unknown = part(INC, "unknown", "developer")
    graph.remove((INC, HG.developer, None))
    graph.add((INC, HG.developer, unknown))
    graph.add((unknown, RDF.type, HG.Unknown))
    graph.add((unknown, RDFS.label, Literal("Unknown developer")))
    graph.add((unknown, SKOS.note, Literal("The sources do not name the developer.")))

    report = validator.validate(graph)

    assert report.conforms, report.to_text()
    assert [(r.path, r.source_shape) for r in report.warnings] == [
        (HG.developer, URIRef("https://w3id.org/harmgraph/shapes#Incident-developer-known"))
    ]


def test_absent_developer_is_a_violation(validator: Validator) -> None:
    graph = _complete()
    graph.remove((INC, HG.developer, None))

    report = validator.validate(graph)

    assert [r.path for r in report.violations] == [HG.developer]


# ---------------------------------------------------------------- closure and incident_of


def test_closure_has_nothing_of_another_incident() -> None:
    graph = _two_incidents()
    copy = str(mint("incident", "inc-copy"))

    cut = closure(graph, INC)

    terms = {str(t) for triple in cut for t in triple}
    assert not any(t.startswith(copy) for t in terms)
    assert (INC, HG.developer, PALANTIR) in cut
    assert (PALANTIR, RDFS.label, Literal("Palantir")) in cut
    assert (part(INC, "event", 1), HG.order, Literal(1)) in cut


def test_closure_of_one_incident_validates_like_the_incident_alone(validator: Validator) -> None:
    alone = validator.validate(_complete())
    cut = validator.validate(closure(_two_incidents(), INC))

    assert cut.to_json() == alone.to_json()


def test_closure_describes_what_only_a_part_references(validator: Validator) -> None:
    """A source cited only by a timeline event comes whole, not just its type.

    With only its rdf:type, the Source shape would report its URL and title missing.
    """
    graph = _complete()
    source = mint("source", "https://americanimmigrationcouncil.org")
    graph.add((part(INC, "event", 1), PROV.wasDerivedFrom, source))
    graph.add((source, RDF.type, HG.Source))
    graph.add((source, SCHEMA.url, URIRef("https://americanimmigrationcouncil.org")))
    graph.add((source, DCTERMS.title, Literal("ImmigrationOS neighborhood maps for deportation")))
    graph.add(
        (source, HG.sourceType, URIRef("https://w3id.org/harmgraph/vocab/source-type/analysis"))
    )

    cut = closure(graph, INC)

    assert len(list(cut.triples((source, None, None)))) == 4
    assert validator.validate(cut).warnings == []


def test_closure_does_not_follow_types_into_the_ontology() -> None:
    graph = _complete()
    graph.add((HG.Incident, RDFS.subClassOf, URIRef("https://w3id.org/dpv/risk#Incident")))

    cut = closure(graph, INC)

    assert not list(cut.triples((HG.Incident, None, None)))


def test_incident_of_parts_shared_and_indirect_resources() -> None:
    graph = _two_incidents()
    system = mint("system", "Palantir ImmigrationOS")
    lone = ID["actor/nobody"]
    graph.add((lone, RDF.type, HG.Actor))

    assert incident_of(graph, INC) == INC
    assert incident_of(graph, part(INC, "outcome", 1)) == INC
    assert incident_of(graph, system) is None  # both incidents use it
    assert incident_of(_complete(), PALANTIR) == INC  # directly, and through the system
    assert incident_of(graph, lone) is None


def test_validate_reads_a_dataset_as_the_union_of_its_graphs(validator: Validator) -> None:
    dataset = Dataset()
    incident_graph = dataset.graph(URIRef("urn:x:incidents"))
    complete = _complete()
    for triple in complete.triples((INC, None, None)):
        incident_graph.add(triple)
    rest = dataset.graph(URIRef("urn:x:rest"))
    for s, p, o in complete:
        if s != INC:
            rest.add((s, p, o))

    report = validator.validate(dataset)

    assert report.conforms, report.to_text()
    assert [r.path for r in report.results] == [HG.harmType]


def test_validate_does_not_change_the_data(validator: Validator) -> None:
    graph = _complete()
    before = len(graph)

    validator.validate(graph)

    assert len(graph) == before


# ---------------------------------------------------------------- loading and caching


def test_get_validator_is_cached_per_paths(tmp_path: Path) -> None:
    settings = Settings(store="memory")
    (tmp_path / "vocab").mkdir()
    other = Settings(store="memory", data_dir=tmp_path)

    assert get_validator(settings) is get_validator(settings)
    assert get_validator(other) is not get_validator(settings)


def test_bad_shapes_file_is_invalid_rdf_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:path .\n")

    with pytest.raises(InvalidRDF) as caught:
        Validator(bad, DATA / "vocab")

    assert caught.value.file == str(bad)
    assert caught.value.line == 3


def test_missing_vocab_directory_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        Validator(PROJECT_ROOT / "shapes", tmp_path / "nowhere")


# ---------------------------------------------------------------- the shipped data


def test_shipped_inc_26_0068_has_no_violation_and_no_warning() -> None:
    shipped = PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl"

    report = get_validator().validate(Graph().parse(shipped, format="turtle"))

    assert report.violations == [], report.to_text()
    assert report.warnings == [], report.to_text()
