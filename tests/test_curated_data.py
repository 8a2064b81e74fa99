"""The hand-curated incidents in data/incidents/: parseable, sourced, and complete.

Every file is checked on its own (it must describe everything it references) and
all files together (shared actors, systems and groups must agree across files,
e.g. one rdfs:label per actor). No file may have a SHACL Violation. The only
Warnings tolerated are the "unknown developer/deployer" ones of an incident that
states the gap honestly with an hg:Unknown; such incidents do not count towards
the curation goal of MIN_CURATED complete incidents.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph import model
from graph.model import HG, SCHEMA
from graph.report import ValidationResult
from graph.settings import PROJECT_ROOT
from graph.validation import Validator

INCIDENT_DIR = PROJECT_ROOT / "data" / "incidents"
FILES = sorted(INCIDENT_DIR.glob("*.ttl"))
CURATED = model.concept("dataset", "curated")

#: The curation goal: at least this many complete, sourced incidents.
MIN_CURATED = 40


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


#: Warnings an incident may carry when it names an unknown party with hg:Unknown.
UNKNOWN_PARTY_PATHS = {HG.developer, HG.deployer}


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _incidents(graph: Graph) -> list[URIRef]:
    return [s for s in graph.subjects(RDF.type, HG.Incident) if isinstance(s, URIRef)]


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_file_holds_one_incident(path: Path) -> None:
    assert len(_incidents(_parse(path))) == 1


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_incident_cites_two_sources_on_distinct_hosts(path: Path) -> None:
    graph = _parse(path)
    (incident,) = _incidents(graph)
    urls = [str(graph.value(s, SCHEMA.url)) for s in graph.objects(incident, PROV.wasDerivedFrom)]
    assert all(urlsplit(u).scheme in ("http", "https") for u in urls), urls
    hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in urls} - {""}
    assert len(set(urls)) >= 2, f"{path.name} cites fewer than two distinct URLs"
    assert len(hosts) >= 2, f"{path.name} cites sources from a single host: {hosts}"


def _tolerated(result: ValidationResult, graph: Graph) -> bool:
    """An unknown-developer/deployer Warning on an incident that names the gap with hg:Unknown."""
    return (
        result.severity == "Warning"
        and result.path in UNKNOWN_PARTY_PATHS
        and any(
            (party, RDF.type, HG.Unknown) in graph
            for party in graph.objects(result.focus_node, result.path)
        )
    )


def _problems(results: list[ValidationResult], graph: Graph) -> list[ValidationResult]:
    return [r for r in results if not _tolerated(r, graph)]


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_incident_has_no_violation_and_only_honest_warnings(
    path: Path, validator: Validator
) -> None:
    graph = _parse(path)
    report = validator.validate(graph)
    problems = _problems(report.violations + report.warnings, graph)
    assert not problems, "\n".join(r.to_text() for r in problems)


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_curated_identifier_matches_iri(path: Path) -> None:
    graph = _parse(path)
    (incident,) = _incidents(graph)
    if (incident, HG.sourceDataset, CURATED) not in graph:
        pytest.skip("not a harmgraph-curated incident")
    identifier = str(graph.value(incident, DCTERMS.identifier))
    assert identifier.startswith("HG-")
    assert incident == model.mint("incident", identifier)
    years = {str(d)[:4] for d in graph.objects(incident, DCTERMS.date)}
    assert identifier[3:7] in years, f"{identifier} does not carry the year of {years}"


def test_all_incidents_together_conform(validator: Validator) -> None:
    union = Graph()
    for path in FILES:
        union += _parse(path)
    report = validator.validate(union)
    problems = _problems(report.violations + report.warnings, union)
    assert not problems, "\n".join(r.to_text() for r in problems)


def test_curated_identifiers_are_unique() -> None:
    seen: dict[str, str] = {}
    for path in FILES:
        graph = _parse(path)
        for incident in _incidents(graph):
            identifier = str(graph.value(incident, DCTERMS.identifier))
            assert identifier not in seen, f"{identifier} in {path.name} and {seen[identifier]}"
            seen[identifier] = path.name


def test_enough_complete_curated_incidents(validator: Validator) -> None:
    complete = []
    for path in FILES:
        graph = _parse(path)
        if (None, HG.sourceDataset, CURATED) not in graph:
            continue
        report = validator.validate(graph)
        if not report.violations and not report.warnings:
            complete.append(path.name)
    assert len(complete) >= MIN_CURATED, f"only {len(complete)} complete curated incidents"


def test_only_honest_unknown_party_warnings_are_tolerated(validator: Validator) -> None:
    graph = _parse(INCIDENT_DIR / "amazon-recruiting-tool-gender-bias-2018.ttl")
    (incident,) = _incidents(graph)

    no_factor = Graph()
    no_factor += graph
    no_factor.remove((incident, HG.contributingFactor, None))
    report = validator.validate(no_factor)
    assert _problems(report.warnings, no_factor), "a missing factor must not be tolerated"

    unknown = model.part(incident, "unknown", "developer")
    honest = Graph()
    honest += graph
    honest.remove((incident, HG.developer, None))
    honest.add((incident, HG.developer, unknown))
    honest.add((unknown, RDF.type, HG.Unknown))
    honest.add((unknown, RDFS.label, Literal("Unknown developer", lang="en")))
    honest.add((unknown, SKOS.note, Literal("The sources do not name the developer.", lang="en")))
    report = validator.validate(honest)
    assert report.warnings, "an unknown developer must still be reported as a Warning"
    assert not _problems(report.violations + report.warnings, honest)


#: Actors of the shipped data that are never a party to their incidents: regulators, courts,
#: inspectors and inquiries acted on them (hg:oversight); journalists, researchers, NGOs
#: and plaintiffs exposed or litigated them (hg:reportedBy); targets and victims were harmed.
NEVER_IMPLICATED = {
    model.mint("actor", slug): role
    for role, slugs in {
        "oversight": (
            "bc-civil-resolution-tribunal",
            "california-department-of-motor-vehicles",
            "california-public-utilities-commission",
            "dhs-office-of-inspector-general",
            "district-court-of-the-hague",
            "dutch-data-protection-authority",
            "hong-kong-police-force",
            "italian-data-protection-authority",
            "korea-personal-information-protection-commission",
            "new-hampshire-department-of-justice",
            "new-york-state-department-of-financial-services",
            "royal-commission-into-the-robodebt-scheme",
            "swedish-authority-for-privacy-protection",
            "us-district-court-for-the-southern-district-of-new-york",
            "us-equal-employment-opportunity-commission",
            "us-federal-communications-commission",
            "us-federal-trade-commission",
            "us-national-highway-traffic-safety-administration",
            "us-national-transportation-safety-board",
        ),
        "reportedBy": (
            "aclu-of-michigan",
            "amnesty-international",
            "foxglove",
            "ipvm",
            "joint-council-for-the-welfare-of-immigrants",
            "just-futures-law",
            "lighthouse-reports",
            "mijente",
            "new-york-civil-liberties-union",
            "propublica",
        ),
        "denotesActor": ("arup", "michal-simecka", "monika-todova"),
    }.items()
    for slug in slugs
}


def test_no_regulator_ngo_or_victim_is_marked_implicated() -> None:
    """Regression: hg:implicated once also held regulators, courts, NGOs and victims."""
    union = Graph()
    for path in FILES:
        union += _parse(path)
    wrong = sorted(
        f"{union.value(i, DCTERMS.identifier)} implicates {a}"
        for i, a in union.subject_objects(HG.implicated)
        if a in NEVER_IMPLICATED
    )
    assert not wrong, "\n".join(wrong)
    for actor, role in NEVER_IMPLICATED.items():
        assert (None, HG[role], actor) in union, f"{actor} is not in the data as {role}"


def test_no_actor_has_two_kinds_of_role_in_one_incident() -> None:
    """An authority or a reporter of an incident is not also a party to it, nor its victim."""
    union = Graph()
    for path in FILES:
        union += _parse(path)
    for incident in _incidents(union):
        harmed = {
            a
            for g in union.objects(incident, HG.harmedGroup)
            for a in union.objects(g, HG.denotesActor)
        }
        kinds = [
            set(union.objects(incident, HG.implicated))
            | set(union.objects(incident, HG.developer))
            | set(union.objects(incident, HG.deployer)),
            set(union.objects(incident, HG.oversight)),
            set(union.objects(incident, HG.reportedBy)),
            harmed,
        ]
        for n, first in enumerate(kinds):
            for second in kinds[n + 1 :]:
                assert not first & second, f"{incident}: {sorted(map(str, first & second))}"


#: Source types that make an incident's evidence level ``primary`` (see data/incidents/README.md).
PRIMARY_SOURCE_TYPES = {
    model.concept("source-type", kind)
    for kind in ("official-report", "legal-filing", "academic-paper", "press-release")
}


def _unconfirmed(graph: Graph, source: Node) -> bool:
    return any(str(note).startswith("Not confirmed") for note in graph.objects(source, SKOS.note))


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_primary_evidence_rests_on_a_confirmed_official_source(path: Path) -> None:
    """Regression: incidents were marked primary with only news reports of a ruling or order."""
    graph = _parse(path)
    (incident,) = _incidents(graph)
    if (incident, HG.evidenceLevel, model.concept("evidence", "primary")) not in graph:
        pytest.skip("not primary evidence")
    official = [
        s
        for s in graph.objects(incident, PROV.wasDerivedFrom)
        if graph.value(s, HG.sourceType) in PRIMARY_SOURCE_TYPES and not _unconfirmed(graph, s)
    ]
    assert official, f"{path.name} is primary but cites no confirmed official document or paper"


#: A row of the source-check table in data/incidents/README.md: file, URL, ..., outcome.
CHECK_ROW = re.compile(
    r"^\| `(?P<file>[a-z0-9-]+)` \| <(?P<url>[^>]+)> \|.*\| (?P<outcome>[a-z ]+) \|$"
)

#: Outcomes of the source check whose URL must stay cited with a skos:note saying why.
NOTED_OUTCOMES = {"unconfirmed", "not a page address"}


def _source_check() -> list[tuple[str, str, str]]:
    text = (INCIDENT_DIR / "README.md").read_text(encoding="utf-8")
    rows = [CHECK_ROW.match(line) for line in text.splitlines()]
    return [(m["file"], m["url"], m["outcome"]) for m in rows if m]


def test_source_check_table_agrees_with_the_files() -> None:
    """Corrected URLs are gone; unconfirmed ones are still cited only with a note saying so."""
    rows = _source_check()
    assert len(rows) >= 90, "the source-check table in data/incidents/README.md is missing"
    for name, url, outcome in rows:
        graph = _parse(INCIDENT_DIR / f"{name}.ttl")
        sources = list(graph.subjects(SCHEMA.url, URIRef(url)))
        if outcome == "corrected":
            assert not sources, f"{name} still cites the corrected {url}"
            continue
        assert sources, f"{name} does not cite {url} ({outcome})"
        if outcome in NOTED_OUTCOMES:
            assert any(graph.value(s, SKOS.note) for s in sources), f"{url} in {name} has no note"


def test_every_source_noted_as_not_confirmed_is_listed_in_the_source_check() -> None:
    listed = {(name, url) for name, url, outcome in _source_check() if outcome in NOTED_OUTCOMES}
    noted = set()
    for path in FILES:
        graph = _parse(path)
        for source, note in graph.subject_objects(SKOS.note):
            if str(note).startswith(("Not confirmed", "Not a page address")):
                noted.add((path.stem, str(graph.value(source, SCHEMA.url))))
    assert noted == listed


def test_every_cited_source_is_in_the_source_check() -> None:
    """Each cited URL has a row, or is the replacement address given in a 'corrected' row."""
    text = (INCIDENT_DIR / "README.md").read_text(encoding="utf-8")
    listed = {(name, url) for name, url, _ in _source_check()}
    unchecked = []
    for path in FILES:
        graph = _parse(path)
        (incident,) = _incidents(graph)
        for source in graph.objects(incident, PROV.wasDerivedFrom):
            url = str(graph.value(source, SCHEMA.url))
            if (path.stem, url) not in listed and url not in text:
                unchecked.append(f"{path.stem}: {url}")
    assert not unchecked, "\n".join(unchecked)
