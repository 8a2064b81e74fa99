"""Tests of graph/examples.py and of every worked example in data/queries/.

Each example runs against the bundled data without pre-declared prefixes, on each
store backend (``bundled``: the embedded ``bundled_store`` built once per session,
or an Oxigraph server serving a copy of it from disk), and a check of its own
asserts a property of the answer, mostly against a count made independently from
the embedded store's quads.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from graph import model
from graph.errors import InputError, NotFound
from graph.examples import Example, get_example, load_examples, parse_example, to_markdown
from graph.settings import PROJECT_ROOT
from graph.store import Store
from tests.backends import skip_on_virtuoso

EXAMPLES = load_examples()
Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]

HG = str(model.HG)
ID = str(model.ID)
VOCAB = str(model.VOCAB)
PALANTIR = ox.NamedNode(ID + "actor/palantir")
ICE = ox.NamedNode(ID + "actor/us-immigration-and-customs-enforcement")
CBP = ox.NamedNode(ID + "actor/us-customs-and-border-protection")
DHS = ox.NamedNode(ID + "actor/us-department-of-homeland-security")
ICM = ox.NamedNode(ID + "system/palantir-investigative-case-management")
INC_26_0068 = ox.NamedNode(ID + "incident/inc-26-0068")


def hg(name: str) -> ox.NamedNode:
    return ox.NamedNode(HG + name)


def vocab(path: str) -> ox.NamedNode:
    return ox.NamedNode(VOCAB + path)


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


RDF_TYPE = ox.NamedNode(str(model.RDF.type))
IN_SCHEME = ox.NamedNode(str(model.SKOS.inScheme))
INCIDENT = hg("Incident")


# Independent answers: plain lookups on the quads (every graph, duplicates folded).


def objects(store: Store, s: ox.NamedNode, p: ox.NamedNode) -> set[object]:
    return {q.object for q in store.ox.quads_for_pattern(s, p, None, None)}


def subjects(store: Store, p: ox.NamedNode, o: object) -> set[object]:
    return {q.subject for q in store.ox.quads_for_pattern(None, p, o, None)}


def pairs(store: Store, p: ox.NamedNode) -> set[tuple[object, object]]:
    return {(q.subject, q.object) for q in store.ox.quads_for_pattern(None, p, None, None)}


def incidents(store: Store) -> set[object]:
    return subjects(store, RDF_TYPE, INCIDENT)


def run(store: Store, slug: str) -> list[Row]:
    """Run one example as a client would: no pre-declared prefixes, union default graph."""
    result = store.query(get_example(slug).text, prefixes=None)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in result]


def num(term: object) -> int:
    assert isinstance(term, ox.Literal), term
    return int(term.value)


def column(rows: Iterable[Row], name: str) -> list[object]:
    return [r[name] for r in rows]


# One check per example, keyed by slug: each gets the rows and the store.

Check = Callable[[list[Row], Store], None]
CHECKS: dict[str, Check] = {}


def check(slug: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[slug] = fn
        return fn

    return register


@check("01-vendor-developed-agency-deployed")
def _vendor_agency(rows: list[Row], store: Store) -> None:
    kind = hg("actorKind")
    for r in rows:
        assert vocab("actor-kind/company") in objects(store, r["vendor"], kind)
        assert vocab("actor-kind/government-agency") in objects(store, r["agency"], kind)
    icm = iri("incident/hg-2017-002")
    assert (icm, PALANTIR, ICE) in {(r["incident"], r["vendor"], r["agency"]) for r in rows}


@check("02-actors-sharing-incidents-with-palantir")
def _palantir_partners(rows: list[Row], store: Store) -> None:
    by_actor = {r["actor"]: r for r in rows}
    assert PALANTIR not in by_actor
    roles = [hg("developer"), hg("deployer"), hg("implicated")]

    def party_to(actor: ox.NamedNode) -> set[object]:
        return set().union(*(subjects(store, p, actor) for p in roles)) & incidents(store)

    shared = party_to(PALANTIR) & party_to(ICE)
    assert shared
    assert num(by_actor[ICE]["sharedIncidents"]) == len(shared)
    # Mijente exposed the FALCON affidavit: outside the incident, named as its reporter.
    assert by_actor[iri("actor/mijente")]["roles"].value == "reported by"


@check("03-harmed-groups-per-threat-pattern")
def _groups_per_pattern(rows: list[Row], store: Store) -> None:
    counts = {(r["pattern"], r["group"]): num(r["incidents"]) for r in rows}
    pattern, group = vocab("pattern/MIT-1.1"), iri("group/women")
    expected = (
        subjects(store, hg("threatPattern"), pattern)
        & subjects(store, hg("harmedGroup"), group)
        & incidents(store)
    )
    assert expected
    assert counts[(pattern, group)] == len(expected)


@check("04-incidents-per-year-and-domain")
def _per_year_domain(rows: list[Row], store: Store) -> None:
    date = ox.NamedNode(str(model.DCTERMS.date))
    expected: Counter[tuple[str, object]] = Counter()
    for incident in incidents(store):
        dates = objects(store, incident, date)
        if not dates:
            continue
        year = min(d.value[:4] for d in dates)
        for domain in objects(store, incident, hg("domain")):
            expected[(year, domain)] += 1
    got = {(r["year"].value, r["domain"]): num(r["incidents"]) for r in rows}
    assert got == dict(expected)
    assert got


@check("05-contributing-factors-ranked")
def _factors(rows: list[Row], store: Store) -> None:
    counts = [num(c) for c in column(rows, "incidents")]
    assert counts == sorted(counts, reverse=True)
    assert vocab("factor/unassessed") not in column(rows, "factor")
    top = rows[0]["factor"]
    expected = subjects(store, hg("contributingFactor"), top) & incidents(store)
    assert counts[0] == len(expected)


@check("06-systems-deployed-by-several-agencies")
def _several_agencies(rows: list[Row], store: Store) -> None:
    assert all(num(r["agencies"]) >= 2 for r in rows)
    assert ICM in column(rows, "system")


@check("07-aiid-cset-harm-gmf-technology")
def _cset_gmf(rows: list[Row], store: Store) -> None:
    assert rows, "the CSET x GMF join returns no row"
    harm = vocab("aiid/csetv1/tangible-harm/tangible-harm-definitively-occurred")
    gmf = vocab("aiid/gmf/known-ai-technology")
    harmed = subjects(store, hg("classification"), harm)
    expected = {
        (i, c)
        for i, c in pairs(store, hg("classification"))
        if i in harmed and gmf in objects(store, c, IN_SCHEME)
    }
    assert {(r["incident"], r["technology"]) for r in rows} == expected
    face = vocab("aiid/gmf/known-ai-technology/face-detection")
    assert (iri("incident/aiid-74"), face) in expected


@check("08-incidents-lacking-primary-source")
def _lacking_primary(rows: list[Row], store: Store) -> None:
    primary_types = {vocab("source-type/official-report"), vocab("source-type/legal-filing")}
    curated = subjects(store, hg("sourceDataset"), vocab("dataset/curated")) & incidents(store)
    expected = set()
    for incident in curated:
        sources = objects(store, incident, ox.NamedNode(str(model.PROV.wasDerivedFrom)))
        types = set().union(*(objects(store, s, hg("sourceType")) for s in sources))
        evidence = objects(store, incident, hg("evidenceLevel"))
        if not types & primary_types or evidence != {vocab("evidence/primary")}:
            expected.add(incident)
    assert set(column(rows, "incident")) == expected
    assert len(rows) == len(expected)  # one row per incident


@check("09-palantir-developed-who-deployed")
def _palantir_deployers(rows: list[Row], store: Store) -> None:
    assert ICE in column(rows, "deployer")
    for system in column(rows, "system"):
        assert PALANTIR in objects(store, system, hg("developer"))


@check("10-incidents-per-country")
def _per_country(rows: list[Row], store: Store) -> None:
    counts = {r["code"].value: num(r["incidents"]) for r in rows}
    spatial = ox.NamedNode(str(model.DCTERMS.spatial))
    assert counts["US"] == len(subjects(store, spatial, vocab("region/US")) & incidents(store))
    assert all(len(code) == 2 for code in counts)
    ranked = [num(c) for c in column(rows, "incidents")]
    assert ranked == sorted(ranked, reverse=True)


@check("11-severity-by-status")
def _severity_status(rows: list[Row], store: Store) -> None:
    expected: Counter[tuple[object, object]] = Counter()
    for incident in incidents(store):
        for status in objects(store, incident, hg("status")):
            for severity in objects(store, incident, hg("severity")):
                expected[(status, severity)] += 1
    assert {(r["status"], r["severity"]): num(r["incidents"]) for r in rows} == dict(expected)


@check("12-alleged-vs-confirmed-per-deployer")
def _alleged_confirmed(rows: list[Row], store: Store) -> None:
    by_deployer = {r["deployer"]: r for r in rows}
    ice = subjects(store, hg("deployer"), ICE) & incidents(store)
    confirmed = ice & subjects(store, hg("status"), vocab("status/confirmed"))
    alleged = ice & subjects(store, hg("status"), vocab("status/alleged"))
    assert confirmed
    assert num(by_deployer[ICE]["confirmedIncidents"]) == len(confirmed)
    assert num(by_deployer[ICE]["allegedIncidents"]) == len(alleged)
    assert all(num(r["confirmedIncidents"]) + num(r["allegedIncidents"]) > 0 for r in rows)


@check("13-sources-per-type-and-publisher")
def _sources(rows: list[Row], store: Store) -> None:
    publisher = ox.NamedNode(str(model.DCTERMS.publisher))
    sources = subjects(store, RDF_TYPE, hg("Source"))
    expected = Counter(
        (t, p)
        for s in sources
        for t in objects(store, s, hg("sourceType"))
        for p in objects(store, s, publisher)
    )
    assert {(r["sourceType"], r["publisher"]): num(r["sources"]) for r in rows} == dict(expected)


@check("14-incident-timeline")
def _timeline(rows: list[Row], store: Store) -> None:
    orders = [num(o) for o in column(rows, "order")]
    events = objects(store, INC_26_0068, hg("timelineEvent"))
    expected = sorted({num(o) for e in events for o in objects(store, e, hg("order"))})
    assert orders == expected
    assert len(orders) >= 2


@check("15-outcomes-per-country")
def _outcomes(rows: list[Row], store: Store) -> None:
    labels = {r["outcomeTypeLabel"].value for r in rows}
    assert labels <= {"Regulatory", "Legal", "Financial"}
    # Italy's Garante fined OpenAI (data/incidents/italy-garante-openai-chatgpt-fine-2024.ttl).
    assert "IT" in {r["code"].value for r in rows}


@check("16-most-often-harmed")
def _most_harmed(rows: list[Row], store: Store) -> None:
    counts = [num(c) for c in column(rows, "incidents")]
    assert counts == sorted(counts, reverse=True)
    top = rows[0]["group"]
    assert hg("Unknown") not in objects(store, top, RDF_TYPE)
    assert counts[0] == len(subjects(store, hg("harmedGroup"), top) & incidents(store))


@check("17-explicit-unknowns-per-role")
def _unknowns(rows: list[Row], store: Store) -> None:
    unknowns = subjects(store, RDF_TYPE, hg("Unknown"))
    no_system = {i for i, s in pairs(store, hg("aiSystem")) if s in unknowns} & incidents(store)
    pooled = {
        r["roleName"].value: num(r["incidents"])
        for r in rows
        if r["unknown"].value == "(per-incident unknown)"
    }
    assert pooled["AI system"] == len(no_system)
    shared = iri("actor/unknown-scammers")
    by_key = {(r["roleName"].value, r["unknown"].value): num(r["incidents"]) for r in rows}
    expected = subjects(store, hg("deployer"), shared) & incidents(store)
    assert by_key[("deployer", shared.value)] == len(expected) > 0


@check("18-incidents-per-mit-risk-domain")
def _mit(rows: list[Row], store: Store) -> None:
    scheme = vocab("aiid/mit/risk-domain")
    assert len(rows) == len(subjects(store, IN_SCHEME, scheme)) == 7
    for r in rows:
        expected = subjects(store, hg("classification"), r["domain"]) & incidents(store)
        assert num(r["incidents"]) == len(expected)


@check("19-gmf-technologies-most-implicated")
def _gmf(rows: list[Row], store: Store) -> None:
    by_label = {r["technology"].value: r for r in rows}
    face = by_label["Face Detection"]
    known = subjects(
        store, hg("classification"), vocab("aiid/gmf/known-ai-technology/face-detection")
    )
    assert num(face["knownIn"]) == len(known)
    for r in rows:
        assert num(r["incidents"]) >= max(num(r["knownIn"]), num(r["potentialIn"]))


@check("20-top-deployers-aiid")
def _top_aiid(rows: list[Row], store: Store) -> None:
    aiid = subjects(store, hg("sourceDataset"), vocab("dataset/aiid"))
    actors = subjects(store, RDF_TYPE, hg("Actor"))
    counts = Counter(d for i, d in pairs(store, hg("deployer")) if i in aiid and d in actors)
    assert len(rows) == 25
    assert num(rows[0]["incidents"]) == counts.most_common(1)[0][1]
    assert counts[rows[0]["deployer"]] == num(rows[0]["incidents"])


@check("21-incidents-deployed-by-dhs-components")
def _dhs(rows: list[Row], store: Store) -> None:
    parent = ox.NamedNode(str(model.SCHEMA.parentOrganization))

    def under_dhs(actor: object) -> bool:
        seen = set()
        while actor not in seen:
            if actor == DHS:
                return True
            seen.add(actor)
            parents = objects(store, actor, parent)
            if not parents:
                return False
            (actor,) = parents
        return False

    components = set(column(rows, "component"))
    assert {ICE, CBP} <= components
    assert all(under_dhs(c) for c in components)


@check("22-cross-source-shared-deployers")
def _cross_source(rows: list[Row], store: Store) -> None:
    def deployers(dataset: str) -> set[object]:
        members = subjects(store, hg("sourceDataset"), vocab(f"dataset/{dataset}"))
        return {d for i, d in pairs(store, hg("deployer")) if i in members}

    actors = subjects(store, RDF_TYPE, hg("Actor"))
    expected = deployers("curated") & deployers("aiid") & actors
    assert expected
    assert set(column(rows, "deployer")) == expected


@check("23-actors-on-wikidata")
def _wikidata(rows: list[Row], store: Store) -> None:
    same_as = ox.NamedNode(str(model.OWL.sameAs))
    actors = subjects(store, RDF_TYPE, hg("Actor"))
    expected = {
        (a, w)
        for a, w in pairs(store, same_as)
        if a in actors and w.value.startswith(str(model.WD))
    }
    assert expected
    assert {(r["actor"], r["wikidata"]) for r in rows} == expected


@check("24-incidents-per-dataset")
def _per_dataset(rows: list[Row], store: Store) -> None:
    got = {(r["graph"], r["dataset"]): num(r["incidents"]) for r in rows}
    graph = ox.NamedNode(str(model.named_graph("aiid")))
    aiid = {
        q.subject
        for q in store.ox.quads_for_pattern(None, hg("sourceDataset"), vocab("dataset/aiid"), graph)
    }
    assert got[(graph, vocab("dataset/aiid"))] == len(aiid) > 1000


def test_at_least_twenty_examples_each_with_a_check() -> None:
    assert len(EXAMPLES) >= 20
    assert {ex.slug for ex in EXAMPLES} == set(CHECKS)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.slug)
def test_example_parses_standalone(example: Example) -> None:
    """rdflib parses each example with no namespaces bound: it declares its own prefixes."""
    prepareQuery(example.text, initNs={})


#: Examples Virtuoso 7.2 does not answer within the 10 s query limit (docs/deploy.md).
VIRTUOSO_SLOW = {
    "08-incidents-lacking-primary-source": "BIND(EXISTS {…}) per incident takes over 10 s",
}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.slug)
def test_example_answer(example: Example, bundled: Store, bundled_store: Store) -> None:
    # The answer comes from the backend under test, the independent counts from the
    # embedded store (the same data).
    if example.slug in VIRTUOSO_SLOW:
        skip_on_virtuoso(VIRTUOSO_SLOW[example.slug])
    CHECKS[example.slug](run(bundled, example.slug), bundled_store)


def test_docs_queries_md_is_up_to_date() -> None:
    committed = (PROJECT_ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert committed == to_markdown(EXAMPLES), (
        "docs/queries.md is stale: run python -m graph.examples --markdown > docs/queries.md"
    )


def test_markdown_command_prints_the_docs_page() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "graph.examples", "--markdown"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    ).stdout
    assert out == to_markdown(EXAMPLES)


def test_example_without_answers_line_is_refused() -> None:
    with pytest.raises(InputError) as err:
        parse_example("# title: T\n# tags: x\nASK {}", "x", file="x.rq")
    assert err.value.field == "answers"


def test_header_ends_at_first_query_line() -> None:
    text = "# title: T\nASK {}\n# answers: too late\n"
    with pytest.raises(InputError):
        parse_example(text, "x")


def test_bad_slug_is_refused() -> None:
    with pytest.raises(InputError):
        parse_example("# title: T\n# answers: A\nASK {}", "Bad Slug")


def test_unknown_example_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "a.rq").write_text("# title: T\n# answers: A\nASK {}\n", encoding="utf-8")
    assert [ex.slug for ex in load_examples(tmp_path)] == ["a"]
    with pytest.raises(NotFound):
        get_example("b", tmp_path)
