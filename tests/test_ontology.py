"""The ontology parses, declares every hg: term in use, and cannot make an incident a risk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from graph.model import AIRO, DPV, HG, ONTOLOGY_IRI, RISK
from graph.settings import PROJECT_ROOT

ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "harmgraph.ttl"
VANN = Namespace("http://purl.org/vocab/vann/")

CONTRACT_CLASSES = [
    "Incident",
    "Actor",
    "AISystem",
    "HarmedGroup",
    "Unknown",
    "Source",
    "TimelineEvent",
    "Outcome",
    "ContributingFactor",
]
CONTRACT_PROPERTIES = [
    "developer",
    "deployer",
    "aiSystem",
    "harmedGroup",
    "implicated",
    "oversight",
    "reportedBy",
    "contributingFactor",
    "threatPattern",
    "primaryThreatPattern",
    "domain",
    "severity",
    "status",
    "evidenceLevel",
    "harmType",
    "keyFact",
    "timelineEvent",
    "outcome",
    "outcomeType",
    "order",
    "sourceDataset",
    "aiidNumber",
    "actorKind",
    "sourceType",
]

#: Classes an incident must never be inferred to be.
FORBIDDEN = {
    AIRO.Risk,
    AIRO.Consequence,
    AIRO.Impact,
    AIRO.AISystem,
    AIRO.AIComponent,
    RISK.Consequence,
    RISK.Risk,
    DPV.Risk,
}


@pytest.fixture
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def _en(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en"
    ]


def _class_members(graph: Graph, node: URIRef | BNode) -> set[URIRef]:
    """A named class, or the members of an owl:unionOf class expression."""
    if isinstance(node, URIRef):
        return {node}
    members: set[URIRef] = set()
    for union in graph.objects(node, OWL.unionOf):
        members |= {m for m in Collection(graph, union) if isinstance(m, URIRef)}
    return members


def _superclasses(graph: Graph, classes: set[URIRef]) -> set[URIRef]:
    seen = set(classes)
    todo = list(classes)
    while todo:
        for parent in graph.objects(todo.pop(), RDFS.subClassOf):
            for member in _class_members(graph, parent):  # type: ignore[arg-type]
                if member not in seen:
                    seen.add(member)
                    todo.append(member)
    return seen


def _superproperties(graph: Graph, prop: URIRef) -> set[URIRef]:
    seen = {prop}
    todo = [prop]
    while todo:
        for parent in graph.objects(todo.pop(), RDFS.subPropertyOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_ontology_header(ontology: Graph) -> None:
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in ontology
    assert (o, OWL.versionIRI, URIRef(f"{o}/0.1.0")) in ontology
    assert (o, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in ontology
    assert (o, VANN.preferredNamespacePrefix, Literal("hg")) in ontology
    assert (o, VANN.preferredNamespaceUri, Literal(str(HG))) in ontology
    for predicate in (OWL.versionInfo, DCTERMS.creator, DCTERMS.created, DCTERMS.modified):
        assert ontology.value(o, predicate) is not None, predicate
    assert _en(ontology, o, DCTERMS.title) and _en(ontology, o, DCTERMS.description)


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_declared(ontology: Graph, name: str) -> None:
    assert (HG[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("name", CONTRACT_PROPERTIES)
def test_contract_property_declared(ontology: Graph, name: str) -> None:
    kinds = set(ontology.objects(HG[name], RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name


def test_alignment_by_subclass(ontology: Graph) -> None:
    expected = {
        "Incident": {RISK.Incident, PROV.Entity},
        "Actor": {PROV.Agent},
        "AISystem": {AIRO.AISystem},
        "HarmedGroup": {AIRO.AISubject},
        "Source": {URIRef("https://schema.org/CreativeWork"), PROV.Entity},
        "ContributingFactor": {SKOS.Concept, AIRO.RiskSource},
    }
    for name, parents in expected.items():
        assert parents <= set(ontology.objects(HG[name], RDFS.subClassOf)), name


def _hg_terms_in_graph(graph: Graph) -> Iterator[URIRef]:
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and term.startswith(str(HG)):
                yield term


_NAMESPACE_ATTRIBUTES = set(dir(Namespace))
_PY_PATTERNS = (
    re.compile(r"\bHG\.([A-Za-z_]\w*)"),
    re.compile(r"\bHG\[\s*[\"']([A-Za-z_]\w*)[\"']\s*\]"),
    re.compile(r"(?<![\w/])hg:([A-Za-z_]\w*)"),
    re.compile(re.escape(str(HG)) + r"([A-Za-z_]\w*)"),
)


def _hg_terms_in_python(path: Path) -> Iterator[URIRef]:
    text = path.read_text(encoding="utf-8")
    for pattern in _PY_PATTERNS:
        for name in pattern.findall(text):
            if name not in _NAMESPACE_ATTRIBUTES:
                yield HG[name]


def _used_terms() -> dict[URIRef, set[str]]:
    """Every hg: term used in ontology/, shapes/, data/ Turtle and graph/, api/ Python."""
    used: dict[URIRef, set[str]] = {}
    root = PROJECT_ROOT
    turtle = [
        *root.glob("ontology/**/*.ttl"),
        *root.glob("shapes/**/*.ttl"),
        *root.glob("data/vocab/*.ttl"),
        *root.glob("data/incidents/*.ttl"),
    ]
    for path in turtle:
        for term in _hg_terms_in_graph(Graph().parse(path, format="turtle")):
            used.setdefault(term, set()).add(str(path.relative_to(root)))
    for path in [*root.glob("graph/**/*.py"), *root.glob("api/**/*.py")]:
        for term in _hg_terms_in_python(path):
            used.setdefault(term, set()).add(str(path.relative_to(root)))
    return used


def test_every_used_hg_term_is_declared_with_label_and_definition(ontology: Graph) -> None:
    used = _used_terms()
    assert HG.Incident in used and HG.developer in used  # the scan itself works
    problems = []
    for term, files in sorted(used.items()):
        if not set(ontology.objects(term, RDF.type)):
            problems.append(f"{term} undeclared (used in {', '.join(sorted(files))})")
            continue
        if not _en(ontology, term, RDFS.label):
            problems.append(f"{term} has no rdfs:label@en")
        if not (_en(ontology, term, SKOS.definition) or _en(ontology, term, RDFS.comment)):
            problems.append(f"{term} has no definition@en")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            problems.append(f"{term} has no rdfs:isDefinedBy")
    assert not problems, "\n".join(problems)


def test_python_scan_finds_terms(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        'q = "SELECT ?x WHERE { ?i hg:deployer ?x }"\nA = HG.aiSystem\nB = HG["keyFact"]\n'
        "C = HG.term('x')\n"
    )
    assert set(_hg_terms_in_python(source)) == {HG.deployer, HG.aiSystem, HG.keyFact}


def test_hg_properties_have_no_domain_but_incident(ontology: Graph) -> None:
    for prop, domain in ontology.subject_objects(RDFS.domain):
        if isinstance(prop, URIRef) and prop.startswith(str(HG)):
            assert domain == HG.Incident, f"{prop} has rdfs:domain {domain}"


def test_hg_properties_are_not_subproperties_of_external_terms(ontology: Graph) -> None:
    """An external super-property would bring its rdfs:domain (e.g. AIRO's airo:AISystem)."""
    for prop, parent in ontology.subject_objects(RDFS.subPropertyOf):
        if isinstance(prop, URIRef) and prop.startswith(str(HG)):
            assert str(parent).startswith(str(HG)), f"{prop} rdfs:subPropertyOf {parent}"


def test_no_domain_or_subproperty_chain_leads_to_risk_or_consequence(ontology: Graph) -> None:
    props = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty)} | {
        p for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
    }
    assert HG.developer in props
    for prop in props:
        domains: set[URIRef] = set()
        for ancestor in _superproperties(ontology, prop):  # type: ignore[arg-type]
            for node in ontology.objects(ancestor, RDFS.domain):
                domains |= _class_members(ontology, node)  # type: ignore[arg-type]
        reached = _superclasses(ontology, domains) & FORBIDDEN
        assert not reached, f"{prop} leads to {reached}"


def test_incident_superclasses_are_not_risks(ontology: Graph) -> None:
    assert not _superclasses(ontology, {HG.Incident}) & FORBIDDEN


@pytest.mark.parametrize(
    ("prop", "members"),
    [
        ("developer", {HG.Actor, HG.Unknown}),
        ("deployer", {HG.Actor, HG.Unknown}),
        ("aiSystem", {HG.AISystem, HG.Unknown}),
        ("harmedGroup", {HG.HarmedGroup, HG.Unknown}),
    ],
)
def test_role_ranges_admit_unknown(ontology: Graph, prop: str, members: set[URIRef]) -> None:
    ranges = list(ontology.objects(HG[prop], RDFS.range))
    assert len(ranges) == 1
    assert _class_members(ontology, ranges[0]) == members  # type: ignore[arg-type]


def _rdfs_types(graph: Graph) -> Graph:
    """A small RDFS closure: rdfs2 (domain), rdfs3 (range), rdfs7, rdfs9."""
    closed = Graph()
    for triple in graph:
        closed.add(triple)
    changed = True
    while changed:
        before = len(closed)
        for p, parent in list(closed.subject_objects(RDFS.subPropertyOf)):
            for s, o in list(closed.subject_objects(p)):
                closed.add((s, parent, o))
        for p, cls in list(closed.subject_objects(RDFS.domain)):
            for s, _ in list(closed.subject_objects(p)):
                closed.add((s, RDF.type, cls))
        for p, cls in list(closed.subject_objects(RDFS.range)):
            for _, o in list(closed.subject_objects(p)):
                if not isinstance(o, Literal):
                    closed.add((o, RDF.type, cls))
        for c, parent in list(closed.subject_objects(RDFS.subClassOf)):
            for s in list(closed.subjects(RDF.type, c)):
                closed.add((s, RDF.type, parent))
        changed = len(closed) != before
    return closed


def test_rdfs_inference_on_the_curated_incident_makes_no_risk(ontology: Graph) -> None:
    data = Graph().parse(PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl")
    closed = _rdfs_types(ontology + data)
    incident = URIRef("https://w3id.org/harmgraph/id/incident/inc-26-0068")
    types = set(closed.objects(incident, RDF.type))
    assert {HG.Incident, RISK.Incident, PROV.Entity} <= types
    assert not types & FORBIDDEN
    assert not {t for t in types if isinstance(t, URIRef)} & {HG.AISystem, HG.Actor}


def test_model_doc_embeds_the_curated_incident_verbatim() -> None:
    doc = (PROJECT_ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = doc.split("## A complete incident", 1)[1]
    block = section.split("```turtle\n", 1)[1].split("\n```", 1)[0]
    incident = PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl"
    assert block.strip() == incident.read_text(encoding="utf-8").strip()


def test_model_doc_example_query_answers_palantir_ice() -> None:
    doc = (PROJECT_ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    query = doc.split("```sparql\n", 1)[1].split("\n```", 1)[0]
    data = Graph().parse(PROJECT_ROOT / "data" / "incidents" / "inc-26-0068.ttl")
    rows = [tuple(str(v) for v in row) for row in data.query(query)]  # type: ignore[union-attr]
    assert rows == [
        ("U.S. Immigration and Customs Enforcement", "Palantir ImmigrationOS", "INC-26-0068")
    ]
