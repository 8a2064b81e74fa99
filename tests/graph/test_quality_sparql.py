"""Differential tests: compiled full-store validation gives plain pyshacl's results.

The reference is ``pyshacl.validate`` over the union of the store's data graphs (every
named graph but provenance and vocabularies) plus the validator's vocabularies, all shapes
and tiers. Compared as sets of (focus node, path, severity, message, constraint component,
source shape, value), each result once, with the incident each belongs to
(:func:`graph.validation.incident_of` over the same union). Data: the bundled store
(curated, AIID, TopAIThreats, with the ontology and shapes in the vocabulary graph),
synthetic bench data, every shape fixture at once (each in its own named graph, so many
triples are held by several graphs) and mutated incidents with ill-typed literals and
subclasses; on disk with worker processes too. Each also without the vocabulary graph (a
store filled only by ``harmgraph import``: the queries supply the vocabulary triples) and
with half of it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD
from rdflib.term import Node

from bench.generate import write
from graph import model
from graph.ingest import import_graph
from graph.quality import validate_store
from graph.quality_sparql import compiled_report
from graph.report import ValidationResult
from graph.store import Store
from graph.terms import to_quads
from graph.validation import get_validator, incident_of
from tests.graph.test_shacl_sparql import _BAD_VALUES, _INCIDENT, _REQUIRED, _valid

DATA = Path(__file__).resolve().parent.parent / "data"
Key = tuple[Node, Node | None, str, str, Node | None, Node | None, Node | None]
_SKIP = {str(model.META_GRAPH), str(model.VOCAB_GRAPH)}


def _union(store: Store) -> Graph:
    g = Graph()
    for s, p, o, name in store.quads():
        if name is not None and str(name) not in _SKIP:
            g.add((s, p, o))
    return g


def _reference(store: Store) -> tuple[set[Key], Graph]:
    """Plain pyshacl over the data graphs plus the vocabularies: its keys, and the data."""
    validator = get_validator()
    data = _union(store)
    merged = Graph() + data + validator.vocab
    _, report, _ = pyshacl.validate(
        merged,
        shacl_graph=validator.shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    keys = set()
    for node in report.objects(None, SH.result):
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        severity = report.value(node, SH.resultSeverity)
        keys.add(
            (
                report.value(node, SH.focusNode),
                report.value(node, SH.resultPath),
                str(severity).removeprefix(str(SH)),
                messages[0] if messages else "",
                report.value(node, SH.sourceConstraintComponent),
                report.value(node, SH.sourceShape),
                report.value(node, SH.value),
            )
        )
    return keys, merged


def _keys(results: Iterable[ValidationResult]) -> list[Key]:
    return [
        (r.focus_node, r.path, r.severity, r.message, r.constraint, r.source_shape, r.value)
        for r in results
    ]


def _same(
    store: Store,
    *,
    workers: int | None = None,
    expected: tuple[set[Key], Graph] | None = None,
) -> set[Key]:
    """Assert the compiled report equals pyshacl's on ``store`` (or ``expected``, the
    reference of the same data); return the keys."""
    report = compiled_report(store, get_validator(), workers=workers)
    assert report is not None, "the compiled path must apply"
    found = _keys(report.results)
    assert len(found) == len(set(found)), "a result reported twice"
    reference, merged = expected or _reference(store)
    assert set(found) == reference
    assert report.conforms == (not any(k[2] == "Violation" for k in reference))
    for r in report.results:
        assert r.incident == incident_of(merged, r.focus_node)
    return reference


def _load(store: Store, graph: Graph, name: str) -> None:
    store.extend(to_quads(graph, ox.NamedNode(str(model.named_graph(name)))))


def _with_vocab(store: Store, share: str = "all") -> Store:
    """``store`` with the vocabulary graph: ``all`` the vocabularies, ``half`` of their
    triples, or ``none`` (no vocabulary graph, as ``harmgraph import`` leaves a store)."""
    triples = sorted(get_validator().vocab, key=lambda t: tuple(map(str, t)))
    kept = Graph()
    for triple in {"all": triples, "half": triples[::2], "none": []}[share]:
        kept.add(triple)
    store.extend(to_quads(kept, ox.NamedNode(str(model.VOCAB_GRAPH))))
    return store


#: How much of the vocabularies the store's vocabulary graph holds.
SHARES = pytest.mark.parametrize("share", ["all", "half", "none"])


@pytest.mark.slow
def test_bundled_data_gives_pyshacls_results(bundled_store: Store) -> None:
    reference = _reference(bundled_store)
    found = _same(bundled_store, expected=reference)
    assert {k[2] for k in found} >= {"Warning", "Info"}
    # The same data without the vocabulary graph (nor the ontology and shapes in it).
    bare = Store.open("memory")
    vocab = ox.NamedNode(str(model.VOCAB_GRAPH))
    quads = bundled_store.ox.quads_for_pattern(None, None, None, None)
    bare.ox.bulk_extend(q for q in quads if q.graph_name != vocab)
    assert str(model.VOCAB_GRAPH) not in {str(g) for g in bare.graphs()}
    assert _same(bare, expected=reference) == found


@SHARES
def test_synthetic_data_gives_pyshacls_results(share: str) -> None:
    out = io.StringIO()
    write(out, 80, seed=5)
    store = _with_vocab(Store.open("memory"), share)
    _load(store, Graph().parse(data=out.getvalue(), format="nt"), "bench")
    assert len(_same(store)) > 80


def _fixtures() -> list[Path]:
    return sorted((DATA / "shapes").glob("*/*.ttl"))


@SHARES
def test_every_fixture_at_once_gives_pyshacls_results_each_once(share: str) -> None:
    store = _with_vocab(Store.open("memory"), share)
    for k, path in enumerate(_fixtures()):
        _load(store, Graph().parse(path, format="turtle"), f"fixture-{k}")
    found = _same(store)
    assert {k[2] for k in found} == {"Violation", "Warning"}


def _mutated() -> Graph:
    data = _valid()
    incidents = []
    for k in range(len(_BAD_VALUES)):
        copy = URIRef(f"{_INCIDENT}-m{k}")
        for p, o in data.predicate_objects(_INCIDENT):
            data.add((copy, p, o))
        incidents.append(copy)
    for k, incident in enumerate(incidents):
        data.remove((incident, _REQUIRED[k % len(_REQUIRED)], None))
        predicate, value = _BAD_VALUES[k]
        data.add((incident, predicate, value))  # ill-typed dates and integers among them
    sub = URIRef("https://example.org/Contractor")
    actor = URIRef("https://w3id.org/harmgraph/id/actor/contractor")
    data.add((sub, RDFS.subClassOf, model.HG.Actor)).add((actor, RDF.type, sub))
    data.add((_INCIDENT, model.HG.implicated, actor))
    data.add((_INCIDENT, model.HG.implicated, BNode()))
    return data


@SHARES
def test_mutated_incidents_give_pyshacls_results(share: str) -> None:
    store = _with_vocab(Store.open("memory"), share)
    _load(store, _mutated(), "curated")
    _load(store, _valid(), "aiid")  # the same incident in two graphs: no result doubles
    found = _same(store)
    values = {k[6] for k in found}
    assert Literal("twelve", datatype=XSD.integer) in values  # ill-typed, refused
    assert Literal("2026-02-30", datatype=XSD.date) in values
    contractor = URIRef("https://w3id.org/harmgraph/id/actor/contractor")
    assert (contractor, RDFS.label) in {(k[0], k[1]) for k in found}  # a subclass instance


def _sourced(data: Graph, k: int, urls: list[list[Node]], *, typed: bool = True) -> URIRef:
    """A copy of the valid incident whose sources are new ones with ``urls`` each."""
    copy = URIRef(f"{_INCIDENT}-s{k}")
    for p, o in _valid().predicate_objects(_INCIDENT):
        if p != PROV.wasDerivedFrom:
            data.add((copy, p, o))
    for j, addresses in enumerate(urls):
        source = URIRef(f"https://w3id.org/harmgraph/id/source/test-{k}-{j}")
        data.add((copy, PROV.wasDerivedFrom, source)).add((source, DCTERMS.title, Literal("T")))
        if typed:
            data.add((source, RDF.type, model.HG.Source))
        for url in addresses:
            data.add((source, model.SCHEMA.url, url))
    return copy


@SHARES
def test_incidents_without_a_web_source_give_pyshacls_results(share: str) -> None:
    """The qualified count "one public web source" and the known developer/deployer, as
    joined subqueries: every way a source can fail, alone or beside a good one."""
    http, ftp = Literal("https://example.org/a"), Literal("ftp://example.org/b")
    data = _valid()
    lacking = [
        _sourced(data, 0, [[ftp]]),
        _sourced(data, 1, [[http, ftp]]),  # one of its URLs is not a web address
        _sourced(data, 2, [[BNode()]]),
        _sourced(data, 3, [[http]], typed=False),
        _sourced(data, 4, [[]]),
        _sourced(data, 5, [[ftp], [http, ftp]]),
    ]
    kept = [_sourced(data, 6, [[ftp], [http]]), _sourced(data, 7, [[http], [http]])]
    unknown = URIRef("https://w3id.org/harmgraph/id/unknown/test")
    data.add((unknown, RDF.type, model.HG.Unknown)).add((unknown, RDFS.label, Literal("U")))
    data.set((kept[0], model.HG.developer, unknown))
    store = _with_vocab(Store.open("memory"), share)
    _load(store, data, "curated")
    found = _same(store)
    qualified = SH.QualifiedMinCountConstraintComponent
    unsourced = {k[0] for k in found if k[1] == PROV.wasDerivedFrom and k[4] == qualified}
    assert unsourced == set(lacking)
    assert (kept[0], model.HG.developer, qualified) in {(k[0], k[1], k[4]) for k in found}


def _every_shape_broken() -> Graph:
    """Per targeted property shape, a copy of an instance of its class without the
    property, and one with two odd values of it (a blank node and an unknown literal)."""
    data = Graph()
    for file in sorted((DATA / "shapes" / "valid").glob("*.ttl")):
        data.parse(file, format="turtle")
    shapes = get_validator().shapes
    for k, shape in enumerate(sorted(set(shapes.subjects(SH.targetClass, None)), key=str)):
        path, cls = shapes.value(shape, SH.path), shapes.value(shape, SH.targetClass)
        if path is None or cls is None or (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        instance = next(iter(data.subjects(RDF.type, cls)), None)
        without, odd = URIRef(f"urn:broken:{k}:without"), URIRef(f"urn:broken:{k}:odd")
        for copy in (without, odd):
            data.add((copy, RDF.type, cls))
            if instance is not None:
                for p, o in list(data.predicate_objects(instance)):
                    data.add((copy, p, o))
            data.remove((copy, path, None))
        data.add((odd, path, BNode())).add((odd, path, Literal("?", datatype=URIRef("urn:x"))))
    return data


@SHARES
def test_every_shape_broken_gives_pyshacls_results(share: str) -> None:
    store = _with_vocab(Store.open("memory"), share)
    _load(store, _every_shape_broken(), "broken")
    found = _same(store)
    shapes = get_validator().shapes
    targeted = {
        s for s in shapes.subjects(SH.targetClass, None) if (s, SH.deactivated, None) not in shapes
    }
    assert targeted == {k[5] for k in found}  # every shape of every tier found something


@pytest.mark.parametrize("share", ["all", "none"])
def test_on_disk_with_worker_processes(tmp_path: Path, share: str) -> None:
    memory = _with_vocab(Store.open("memory"), share)
    _load(memory, _mutated(), "curated")
    with Store.open(tmp_path / "store") as disk:
        disk.ox.bulk_extend(memory.ox.quads_for_pattern(None, None, None, None))
    disk = Store(ox.Store.read_only(str(tmp_path / "store")), str(tmp_path / "store"))
    assert _same(disk, workers=2) == _same(memory)


def test_vocabulary_triples_a_query_could_read_fall_back_to_pyshacl() -> None:
    store = _with_vocab(Store.open("memory"))
    _load(store, _valid(), "curated")
    actor = next(iter(_valid().subjects(RDF.type, model.HG.Actor)))
    store.extend(
        [
            ox.Quad(
                ox.NamedNode(str(actor)),
                ox.NamedNode(str(RDFS.label)),
                ox.Literal("also this"),
                ox.NamedNode(str(model.VOCAB_GRAPH)),
            )
        ]
    )
    assert compiled_report(store, get_validator()) is None
    assert validate_store(store, get_validator()).conforms


def test_a_store_filled_by_import_gives_pyshacls_results() -> None:
    """No vocabulary graph: the vocabulary triples the shapes read come with the queries
    (was: pyshacl over the whole store, ~15 min at 100,000 incidents)."""
    store, validator = Store.open("memory"), get_validator()
    out = io.StringIO()
    write(out, 40, seed=11)
    bench = Graph().parse(data=out.getvalue(), format="nt")
    for name, data in (("curated", _valid()), ("bench", bench)):
        import_graph(store, data, graph_name=name, source=name, validator=validator)
    assert str(model.VOCAB_GRAPH) not in {str(g) for g in store.graphs()}
    found = _same(store)
    assert {k[2] for k in found} >= {"Warning", "Info"}
    assert validate_store(store, validator).conforms


def test_an_empty_store_conforms_without_pyshacl() -> None:
    report = compiled_report(Store.open("memory"), get_validator())
    assert report is not None and report.conforms and not report.results
