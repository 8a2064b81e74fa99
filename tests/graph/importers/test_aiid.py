"""Tests of graph/importers/aiid.py against the real AIID snapshot in data/aiid/.

Expected numbers are recomputed from the CSVs with the csv module, never hard-coded.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from graph import model
from graph.errors import InputError
from graph.importers.aiid import ROLES, load_snapshot, read_duplicates, resolve_number
from graph.importers.aiid_taxonomies import TAXONOMIES, cell_values
from graph.model import HG
from graph.settings import PROJECT_ROOT
from graph.validation import Validator, closure

SNAPSHOT = PROJECT_ROOT / "data" / "aiid"
BAD = Path(__file__).parents[2] / "data" / "aiid-bad"
VOCAB = PROJECT_ROOT / "data" / "vocab"

JOIN_QUERY = """
PREFIX hg: <https://w3id.org/harmgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?incident ?harm ?technology WHERE {
  ?h skos:inScheme <https://w3id.org/harmgraph/vocab/aiid/csetv1/tangible-harm> ;
      skos:prefLabel ?harm .
  ?incident hg:classification ?h, ?t .
  ?t skos:inScheme <https://w3id.org/harmgraph/vocab/aiid/gmf/known-ai-technology> ;
      skos:prefLabel ?technology .
}
"""


def csv_rows(name: str) -> list[dict[str, str]]:
    with (SNAPSHOT / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def duplicate_map() -> dict[int, int]:
    return {
        int(r["duplicate_incident_number"]): int(r["true_incident_number"])
        for r in csv_rows("duplicates.csv")
    }


def true_number(n: int, dups: dict[int, int]) -> int:
    while n in dups:
        n = dups[n]
    return n


def iri(n: int) -> URIRef:
    return model.mint("incident", f"aiid-{n}")


@pytest.fixture(scope="module")
def snapshot() -> Graph:
    """The converted snapshot, built once for this module: tests only read it.

    Converting takes about a second (much more on a busy machine), and a dozen tests
    look at it; a test that needs another conversion makes its own.
    """
    return load_snapshot(SNAPSHOT)


def test_incident_count_is_the_distinct_non_duplicate_incidents(snapshot: Graph) -> None:
    dups = duplicate_map()
    expected = {int(r["incident_id"]) for r in csv_rows("incidents.csv")} - set(dups)
    found = {int(n) for n in snapshot.objects(None, HG.aiidNumber)}
    assert found == expected
    assert len(set(snapshot.subjects(RDF.type, HG.Incident))) == len(expected)


def test_every_incident_has_the_contract_fields(snapshot: Graph) -> None:
    row = next(r for r in csv_rows("incidents.csv") if r["incident_id"] == "23")
    inc = iri(23)
    assert snapshot.value(inc, DCTERMS.identifier) == Literal("AIID-23")
    assert snapshot.value(inc, DCTERMS.title) == Literal(row["title"])
    assert str(snapshot.value(inc, DCTERMS.date)) == row["date"]
    source = snapshot.value(inc, model.PROV.wasDerivedFrom)
    assert snapshot.value(source, model.SCHEMA.url) == URIRef("https://incidentdatabase.ai/cite/23")
    assert snapshot.value(source, HG.sourceType) == model.concept("source-type", "database-entry")
    for prop, value in (
        (HG.status, model.concept("status", "alleged")),
        (HG.severity, model.concept("severity", "unassessed")),
        (HG.evidenceLevel, model.concept("evidence", "unassessed")),
        (HG.contributingFactor, model.concept("factor", "unassessed")),
        (HG.sourceDataset, model.concept("dataset", "aiid")),
    ):
        assert set(snapshot.subjects(prop, value)) == set(snapshot.subjects(RDF.type, HG.Incident))
    system = snapshot.value(inc, HG.aiSystem)
    assert (system, RDF.type, HG.Unknown) in snapshot
    assert snapshot.value(system, SKOS.note) is not None


def test_role_links_per_role_equal_the_csv(snapshot: Graph) -> None:
    dups = duplicate_map()
    for role in ROLES:
        expected: set[tuple[URIRef, URIRef]] = set()
        for r in csv_rows("incidents.csv"):
            inc = iri(true_number(int(r["incident_id"]), dups))
            expected |= {(inc, model.mint(role.kind, s)) for s in json.loads(r[role.column])}
        found = {
            (s, o)
            for s, o in snapshot.subject_objects(role.prop)
            if "/unknown/" not in str(o)  # per-incident unknowns stand for empty lists
        }
        assert found == expected, role.column


def test_empty_role_list_becomes_a_per_incident_unknown(snapshot: Graph) -> None:
    empty = [r for r in csv_rows("incidents.csv") if json.loads(r[ROLES[2].column]) == []]
    assert empty, "the snapshot has an incident with no harmed party"
    inc = iri(int(empty[0]["incident_id"]))
    unknown = snapshot.value(inc, HG.harmedGroup)
    assert unknown == model.part(inc, "unknown", "harmed-group")
    assert (unknown, RDF.type, HG.Unknown) in snapshot
    assert "AIID lists no" in str(snapshot.value(unknown, SKOS.note))


def test_unknown_slugs_become_hg_unknown(snapshot: Graph) -> None:
    slugs = {
        s
        for r in csv_rows("incidents.csv")
        for s in json.loads(r["Alleged developer of AI system"])
        if s.startswith("unknown-")
    }
    assert slugs
    for slug in slugs:
        node = model.mint("actor", slug)
        assert (node, RDF.type, HG.Unknown) in snapshot
        assert (node, RDF.type, HG.Actor) not in snapshot
        assert f"'{slug}'" in str(snapshot.value(node, SKOS.note))
    scammers = model.mint("actor", "unknown-scammers")
    assert snapshot.value(scammers, RDFS.label) == Literal("Unknown scammers", lang="en")


def test_duplicates_resolve_to_the_true_incident(snapshot: Graph) -> None:
    dups = duplicate_map()
    on_file = read_duplicates(SNAPSHOT / "duplicates.csv")
    assert on_file == dups
    for dup in dups:
        true = resolve_number(dup, on_file)
        assert true not in dups
        assert (iri(dup), RDF.type, HG.Incident) not in snapshot
        assert (iri(true), HG.aiidDuplicate, Literal(dup)) in snapshot


def test_duplicate_chain_and_cycle() -> None:
    assert resolve_number(1, {1: 2, 2: 3}) == 3
    with pytest.raises(InputError, match="cycle"):
        resolve_number(1, {1: 2, 2: 1})


def test_classification_links_equal_the_csv_cells(snapshot: Graph) -> None:
    dups = duplicate_map()
    for taxonomy in TAXONOMIES:
        for field in taxonomy.fields:
            expected: set[tuple[URIRef, URIRef]] = set()
            for r in csv_rows(taxonomy.file):
                if r["Published"] != "True":
                    continue
                inc = iri(true_number(int(r["Incident ID"]), dups))
                expected |= {
                    (inc, model.taxonomy_concept(taxonomy.name, field.column, v))
                    for v in cell_values(field, r[field.column])
                }
            scheme = model.taxonomy_scheme(taxonomy.name, field.column)
            found = {
                (s, o)
                for s, o in snapshot.subject_objects(HG.classification)
                if (o, SKOS.inScheme, scheme) in snapshot
            }
            assert found == expected, f"{taxonomy.name}: {field.column}"
            assert found or field.column.startswith("Potential"), field.column


def test_multi_valued_cells_keep_values_with_commas(snapshot: Graph) -> None:
    labels = {
        str(label)
        for c in snapshot.subjects(
            SKOS.inScheme, model.taxonomy_scheme("CSETv1", "Sector of Deployment")
        )
        for label in snapshot.objects(c, SKOS.prefLabel)
    }
    assert "Arts, entertainment and recreation" in labels
    assert "Arts" not in labels
    assert "entertainment and recreation" not in labels


def test_mit_subdomain_gives_a_threat_pattern(snapshot: Graph) -> None:
    row = next(r for r in csv_rows("classifications_MIT.csv") if r["Incident ID"] == "23")
    number = row["Risk Subdomain"].split(". ")[0]
    pattern = model.concept("pattern", f"MIT-{number}")
    assert (iri(23), HG.threatPattern, pattern) in snapshot
    subdomain = model.taxonomy_concept("MIT", "Risk Subdomain", row["Risk Subdomain"])
    assert (subdomain, SKOS.exactMatch, pattern) in snapshot


def test_patterns_and_regions_used_exist_in_the_vocabularies(snapshot: Graph) -> None:
    vocab = Graph()
    for name in ("pattern", "region"):
        vocab.parse(VOCAB / f"{name}.ttl")
    for prop, name in ((HG.threatPattern, "pattern"), (DCTERMS.spatial, "region")):
        used = set(snapshot.objects(None, prop))
        assert used
        missing = {c for c in used if (c, SKOS.inScheme, model.scheme(name)) not in vocab}
        assert not missing, f"add to data/vocab/{name}.ttl: {sorted(missing)}"


def test_cset_country_becomes_spatial(snapshot: Graph) -> None:
    countries = Counter(
        r["Location Country (two letters)"].strip()
        for r in csv_rows("classifications_CSETv1.csv")
        if r["Published"] == "True"
    )
    assert (iri(23), DCTERMS.spatial, model.concept("region", "US")) in snapshot
    assert len(set(snapshot.subjects(DCTERMS.spatial, None))) <= sum(
        n for c, n in countries.items() if c
    )


def test_one_query_joins_a_cset_harm_field_with_a_gmf_technology(snapshot: Graph) -> None:
    rows = list(snapshot.query(JOIN_QUERY))
    assert rows
    assert {str(row[0]).rsplit("/", 1)[1] for row in rows} <= {
        f"aiid-{n}" for n in snapshot.objects(None, HG.aiidNumber)
    }


def test_unpublished_rows_only_when_asked_and_progress_reaches_the_total(
    snapshot: Graph,
) -> None:
    dups = duplicate_map()
    draft = next(
        r
        for r in csv_rows("classifications_GMF.csv")
        if r["Published"] == "False" and r["Known AI Goal"] and int(r["Incident ID"]) not in dups
    )
    goal = cell_values(TAXONOMIES[1].fields[0], draft["Known AI Goal"])[0]
    link = (
        iri(int(draft["Incident ID"])),
        HG.classification,
        model.taxonomy_concept("GMF", "Known AI Goal", goal),
    )
    assert link not in snapshot

    calls: list[tuple[int, int]] = []
    everything = load_snapshot(
        SNAPSHOT, include_unpublished=True, on_progress=lambda d, t: calls.append((d, t))
    )
    assert link in everything
    records = len(set(everything.subjects(RDF.type, HG.Incident))) + sum(
        len(csv_rows(t.file)) for t in TAXONOMIES
    )
    assert calls[-1] == (records, records)
    assert [d for d, _ in calls] == list(range(1, records + 1))


def test_imported_incidents_have_no_violation_and_warn_about_factors(snapshot: Graph) -> None:
    incidents = sorted(set(snapshot.subjects(RDF.type, HG.Incident)))[::25]  # ~55 of them
    report = Validator().validate(closure(snapshot, *incidents))
    assert report.violations == []
    factor_warnings = {
        r.incident
        for r in report.warnings
        if r.path == HG.contributingFactor and "contributing factor" in r.message
    }
    assert factor_warnings == set(incidents)


def test_parties_and_sources_described_elsewhere_are_linked_not_restated() -> None:
    nec = model.mint("actor", "nec")
    cite = model.mint("source", "https://incidentdatabase.ai/cite/288/")
    graph = load_snapshot(SNAPSHOT, described={nec, cite})
    assert (None, HG.developer, nec) in graph
    assert (iri(288), model.PROV.wasDerivedFrom, cite) in graph
    assert (nec, None, None) not in graph
    assert (cite, None, None) not in graph


def bad_snapshot(tmp_path: Path, fixture: str, target: str) -> Path:
    folder = tmp_path / "aiid"
    shutil.copytree(SNAPSHOT, folder)
    shutil.copyfile(BAD / fixture, folder / target)
    return folder


@pytest.mark.parametrize(
    ("fixture", "target", "line", "field"),
    [
        ("incidents-missing-column.csv", "incidents.csv", 1, "Alleged developer of AI system"),
        ("incidents-bad-json.csv", "incidents.csv", 4, "Alleged deployer of AI system"),
        ("incidents-bad-date.csv", "incidents.csv", 6, "date"),
        (
            "classifications_GMF-missing-column.csv",
            "classifications_GMF.csv",
            1,
            "Known AI Technology",
        ),
    ],
)
def test_bad_input_names_file_line_and_field(
    tmp_path: Path, fixture: str, target: str, line: int, field: str
) -> None:
    folder = bad_snapshot(tmp_path, fixture, target)
    with pytest.raises(InputError) as caught:
        load_snapshot(folder)
    assert caught.value.file is not None
    assert caught.value.file.endswith(target)
    assert (caught.value.line, caught.value.field) == (line, field)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "aiid"
    shutil.copytree(SNAPSHOT, folder)
    (folder / "duplicates.csv").unlink()
    with pytest.raises(InputError, match="cannot read"):
        load_snapshot(folder)
