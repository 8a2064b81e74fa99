"""The SKOS vocabularies in data/vocab/: one well-formed concept scheme per model.SCHEMES entry."""

from __future__ import annotations

import csv
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph import model
from graph.model import HG, WD
from graph.settings import PROJECT_ROOT

VOCAB_DIR = PROJECT_ROOT / "data" / "vocab"
AIID_DIR = PROJECT_ROOT / "data" / "aiid"

#: The closed sets of the data-model contract.
CLOSED_SETS = {
    "severity": {"critical", "high", "medium", "low", "unassessed"},
    "status": {"confirmed", "alleged", "under-investigation", "disputed", "unassessed"},
    "evidence": {"primary", "corroborated", "single-source", "unassessed"},
    "outcome-type": {"regulatory", "legal", "financial", "operational", "other"},
    "actor-kind": {
        "company",
        "government-agency",
        "research-institution",
        "non-profit",
        "person",
        "intergovernmental-organisation",
        "other",
    },
    "source-type": {
        "news",
        "analysis",
        "legal-filing",
        "official-report",
        "academic-paper",
        "press-release",
        "database-entry",
        "other",
    },
    "dataset": {"curated", "aiid", "topaithreats"},
}

#: Codes in the AIID snapshot's CSETv1 "Location Country (two letters)" column (Feb 2026).
CSET_COUNTRIES = set(
    [
        "US",
        "GB",
        "CN",
        "RU",
        "FR",
        "DE",
        "CA",
        "NZ",
        "IN",
        "VN",
        "AU",
        "IE",
        "KR",
        "SE",
        "ID",
        "PS",
        "CH",
        "NL",
        "AR",
        "IT",
        "LY",
        "JP",
        "RS",
        "IL",
        "GR",
    ]
)

REGIONS = {
    "global",
    "north-america",
    "latin-america",
    "europe",
    "asia",
    "middle-east",
    "africa",
    "oceania",
}


def load(scheme: str) -> Graph:
    return Graph().parse(VOCAB_DIR / f"{scheme}.ttl", format="turtle")


def notations(graph: Graph) -> set[str]:
    return {str(n) for n in graph.objects(None, SKOS.notation)}


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en"
    ]


def test_there_is_a_file_per_scheme_and_no_other() -> None:
    assert {p.stem for p in VOCAB_DIR.glob("*.ttl")} == set(model.SCHEMES)


@pytest.mark.parametrize("scheme", model.SCHEMES)
def test_scheme_is_declared(scheme: str) -> None:
    g = load(scheme)
    iri = model.scheme(scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in g
    assert english(g, iri, SKOS.prefLabel)
    assert english(g, iri, SKOS.definition)
    assert set(g.subjects(RDF.type, SKOS.ConceptScheme)) == {iri}


@pytest.mark.parametrize("scheme", model.SCHEMES)
def test_every_concept_is_complete(scheme: str) -> None:
    g = load(scheme)
    iri = model.scheme(scheme)
    concepts = {c for c in g.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}
    assert concepts, scheme
    assert set(g.subjects(SKOS.inScheme, None)) == concepts
    seen: set[str] = set()
    for c in concepts:
        assert list(g.objects(c, SKOS.inScheme)) == [iri], c
        notation = [str(n) for n in g.objects(c, SKOS.notation)]
        assert len(notation) == 1, c
        assert notation[0] not in seen, f"duplicate notation {notation[0]}"
        seen.add(notation[0])
        assert c == model.concept(scheme, notation[0]), c
        assert len(english(g, c, SKOS.prefLabel)) == 1, c
        assert len(english(g, c, SKOS.definition)) == 1, c
        broader = set(g.objects(c, SKOS.broader))
        top = (c, SKOS.topConceptOf, iri) in g
        assert top != bool(broader), f"{c}: exactly one of topConceptOf or broader"
        assert top == ((iri, SKOS.hasTopConcept, c) in g), c
        assert broader <= concepts, f"{c} has a broader concept outside its scheme"


@pytest.mark.parametrize("scheme", model.SCHEMES)
def test_broader_has_no_cycles(scheme: str) -> None:
    g = load(scheme)
    for c in g.subjects(RDF.type, SKOS.Concept):
        path = {c}
        node = g.value(c, SKOS.broader)
        while node is not None:
            assert node not in path, f"cycle through {c}"
            path.add(node)
            node = g.value(node, SKOS.broader)


@pytest.mark.parametrize(("scheme", "required"), sorted(CLOSED_SETS.items()))
def test_closed_sets_are_exact(scheme: str, required: set[str]) -> None:
    assert notations(load(scheme)) == required


def test_factor_has_unassessed_and_every_factor_is_a_contributing_factor() -> None:
    g = load("factor")
    assert {"unassessed", "accountability-vacuum", "model-opacity", "regulatory-gap"} <= (
        notations(g)
    )
    for c in g.subjects(RDF.type, SKOS.Concept):
        assert (c, RDF.type, HG.ContributingFactor) in g, c


def test_regions_and_countries() -> None:
    g = load("region")
    codes = notations(g)
    assert codes >= REGIONS
    assert codes >= CSET_COUNTRIES
    countries = {n for n in codes if re.fullmatch(r"[A-Z]{2}", n)}
    assert len(countries) >= 40
    for code in countries:
        parents = list(g.objects(model.concept("region", code), SKOS.broader))
        assert len(parents) == 1 and str(parents[0]).rsplit("/", 1)[1] in REGIONS, code
    assert codes == REGIONS | countries


@pytest.mark.parametrize(
    ("code", "qid"),
    [
        ("US", "Q30"),
        ("GB", "Q145"),
        ("FR", "Q142"),
        ("DE", "Q183"),
        ("CN", "Q148"),
        ("IN", "Q668"),
        ("CA", "Q16"),
        ("AU", "Q408"),
        ("NL", "Q55"),
        ("JP", "Q17"),
    ],
)
def test_country_wikidata_match(code: str, qid: str) -> None:
    g = load("region")
    assert list(g.objects(model.concept("region", code), SKOS.exactMatch)) == [WD[qid]]


def test_cset_countries_in_the_snapshot_are_covered() -> None:
    path = AIID_DIR / "classifications_CSETv1.csv"
    if not path.exists():
        pytest.skip("AIID snapshot not present")
    with path.open(encoding="utf-8", newline="") as f:
        cells = {row["Location Country (two letters)"].strip() for row in csv.DictReader(f)}
    codes = {c for c in cells if re.fullmatch(r"[A-Z]{2}", c)}
    assert codes == CSET_COUNTRIES
    assert codes <= notations(load("region"))


def test_mass_surveillance_pattern() -> None:
    g = load("pattern")
    c = model.concept("pattern", "PAT-PRI-003")
    assert english(g, c, SKOS.prefLabel) == [Literal("Mass Surveillance Amplification", lang="en")]
    assert (c, HG.domain, model.concept("domain", "privacy-surveillance")) in g
    assert list(g.objects(c, SKOS.closeMatch)) == [model.concept("pattern", "MIT-4.1")]
    assert english(load("domain"), model.concept("domain", "privacy-surveillance"), SKOS.prefLabel)


def test_mit_taxonomy_shape() -> None:
    g = load("pattern")
    mit = {n for n in notations(g) if n.startswith("MIT-")}
    assert {f"MIT-{d}" for d in range(1, 8)} <= mit
    assert len([n for n in mit if "." in n]) == 24
    for n in mit:
        if "." in n:
            parent = model.concept("pattern", n.split(".")[0])
            assert g.value(model.concept("pattern", n), SKOS.broader) == parent


def test_mit_labels_are_the_snapshot_labels() -> None:
    path = AIID_DIR / "classifications_MIT.csv"
    if not path.exists():
        pytest.skip("AIID snapshot not present")
    g = load("pattern")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    values = {r["Risk Subdomain"] for r in rows} | {r["Risk Domain"] for r in rows}
    numbered = {v for v in values if re.match(r"\d+(\.\d+)?\. ", v)}
    assert len(numbered) >= 20
    for value in numbered:
        number, label = value.split(". ", 1)
        concept = model.concept("pattern", f"MIT-{number}")
        assert english(g, concept, SKOS.prefLabel) == [Literal(label, lang="en")], value
        assert (concept, SKOS.hiddenLabel, Literal(value, lang="en")) in g, value


def test_every_concept_used_by_curated_incidents_exists() -> None:
    vocab = Graph()
    for scheme in model.SCHEMES:
        vocab += load(scheme)
    known = set(vocab.subjects(RDF.type, SKOS.Concept))
    own = tuple(str(model.scheme(s)) + "/" for s in model.SCHEMES)
    files = sorted((PROJECT_ROOT / "data" / "incidents").glob("*.ttl"))
    assert files
    missing = set()
    for path in files:
        for o in Graph().parse(path, format="turtle").objects():
            if isinstance(o, URIRef) and str(o).startswith(own) and o not in known:
                missing.add(f"{path.name}: {o}")
    assert not missing, "\n".join(sorted(missing))
