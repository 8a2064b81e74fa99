"""Tests of graph/ingest_fast.py: the fast import gives the reference path's stores and errors.

Each test runs the same imports through :func:`graph.ingest.import_graph` (the reference:
rdflib parse, rdflib resolution, rdflib gate input, one SPARQL Update) and through
:func:`graph.ingest_fast.import_files` / :func:`~graph.ingest_fast.import_data`, each into
its own fresh store, and compares the stores: the same quads in the same named graphs
(blank nodes up to renaming) and provenance of the same shape (timestamps and activity
keys aside). On the Oxigraph server (a remote store) the fast functions take the
reference path: the comparison holds there too.

The reference path does not depend on how the fast one gates and writes (:func:`variant`),
so where several variants import the same inputs, the reference result (its summaries,
errors and a :class:`StoreView` of its store) is computed once per store kind and input
(the module-scoped :func:`references`), from inputs written once (same paths, so the same
provenance), and every variant's fresh fast store is compared with it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from bench.generate import write_files
from graph import ingest_fast, model
from graph.errors import HarmgraphError, InvalidRDF, NotFound, ShapeViolations
from graph.ingest import ImportSummary, import_graph
from graph.ingest_fast import import_data, import_files
from graph.sources import read_source
from graph.store import Store
from graph.terms import from_ox, to_ox
from graph.validation import Validator, get_validator
from tests.backends import STORE_PARAMS, param_store

ROOT = Path(__file__).resolve().parents[2]
CURATED = sorted((ROOT / "data" / "incidents").glob("*.ttl"))
AIID = ROOT / "data" / "aiid"
TOPAITHREATS = sorted((ROOT / "data" / "topaithreats").glob("*.txt"))
DATA = Path(__file__).parent.parent / "data" / "ingest"
META = ox.NamedNode(str(model.META_GRAPH))
#: Provenance values that differ between any two imports.
_VOLATILE = {
    "http://www.w3.org/ns/prov#startedAtTime",
    "http://www.w3.org/ns/prov#endedAtTime",
    "http://purl.org/dc/terms/modified",
}
Importer = Callable[[Store, str], ImportSummary]
T = TypeVar("T")


@pytest.fixture(params=["memory", "disk"])
def kind(request: pytest.FixtureRequest) -> str:
    """The kind of embedded store both paths import into."""
    return str(request.param)


@pytest.fixture
def stores(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Store, Store]:
    """Two fresh embedded stores: the reference path's and the fast path's.

    (The remote backends hold one store per server: see
    ``test_remote_store_takes_the_reference_path``.)
    """
    ref = param_store(kind, tmp_path / "ref")
    fast = param_store(kind, tmp_path / "fast")
    request.addfinalizer(ref.close)
    request.addfinalizer(fast.close)
    return ref, fast


@pytest.fixture
def fast_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A fresh embedded store for the fast path (the reference comes from ``references``)."""
    fast = param_store(kind, tmp_path / "fast")
    request.addfinalizer(fast.close)
    return fast


@pytest.fixture(scope="module")
def validator() -> Validator:
    return get_validator()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for input files every test of the module reads (written once)."""
    return tmp_path_factory.mktemp("inputs")


@pytest.fixture(scope="module")
def curated(inputs: Path) -> list[Path]:
    """A copy of the curated incident files: every path of a test reads the same bytes."""
    where = inputs / "curated"
    where.mkdir()
    for f in CURATED:
        (where / f.name).write_bytes(f.read_bytes())
    return sorted(where.glob("*.ttl"))


@pytest.fixture(scope="module")
def bundled_sources() -> tuple[Graph, Graph]:
    """The AIID snapshot and the TopAIThreats pages as their importers give them (read only:
    each import gets a copy)."""
    aiid, _ = read_source("aiid", [AIID])
    threats, _ = read_source("topaithreats", TOPAITHREATS)
    return aiid, threats


class References:
    """Reference results, each computed once for the module: :meth:`get`."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._done: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, name: str, run: Callable[[Store], T]) -> tuple[T, StoreView]:
        """``run(store)`` on a fresh store of ``kind`` and that store's :class:`StoreView`
        after it, computed on the first call for ``(kind, name)``, reused on later ones."""
        key = (kind, name)
        if key not in self._done:
            store = param_store(kind, self._tmp.mktemp("reference"))
            try:
                self._done[key] = (run(store), view(store))
            finally:
                store.close()
        done: tuple[T, StoreView] = self._done[key]
        return done


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> References:
    """The module's reference results (read only: tests compare with them)."""
    return References(tmp_path_factory)


@pytest.fixture
def fast_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the fast functions hand an accepted import to the reference path."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the fast path fell back to the reference path")

    monkeypatch.setattr(ingest_fast, "import_graph", refuse)


@pytest.fixture(params=["generic", "dataset", "forked"])
def variant(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How the fast path gates and writes: the generic queries and a transaction (small
    imports); the queries compiled for the staged data, alone or shared with a forked
    process, and a first import on disk swapped in (large imports)."""
    if request.param != "generic":
        monkeypatch.setattr(ingest_fast, "DATASET_GATE_MIN", 0)
        monkeypatch.setattr(ingest_fast, "SWAP_MIN", 0)
    if request.param == "forked":
        monkeypatch.setattr(ingest_fast, "GATE_FORK_MIN", 0)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return str(request.param)


def _files(
    store: Store, files: list[Path], validator: Validator, graph: str, *, fast: bool
) -> ImportSummary:
    source = ", ".join(str(f) for f in files)
    if fast:
        return import_files(store, files, graph_name=graph, source=source, validator=validator)
    data, _ = read_source("rdf", files)
    return import_graph(store, data, graph_name=graph, source=source, validator=validator)


def _graph(store: Store, data: Graph, validator: Validator, graph: str, *, fast: bool) -> Any:
    run = import_data if fast else import_graph
    return run(store, Graph() + data, graph_name=graph, source=graph, validator=validator)


@dataclass(frozen=True)
class StoreView:
    """What :func:`assert_same_store` compares of a store, read once: its named graphs, per
    graph (and the default graph) its ground triples and its triples with blank nodes, and
    the shape of its provenance."""

    graphs: list[URIRef]
    ground: dict[URIRef | None, frozenset[ox.Triple]]
    blank: dict[URIRef | None, Graph]
    provenance: Counter[tuple[str, str, str]]


def view(store: Store) -> StoreView:
    """The :class:`StoreView` of ``store`` as it is now."""
    graphs = sorted(store.graphs())
    ground: dict[URIRef | None, frozenset[ox.Triple]] = {}
    blank: dict[URIRef | None, Graph] = {}
    for g in [*graphs, None]:
        name = None if g is None else ox.NamedNode(str(g))
        if name == META:
            continue
        triples = _triples(store, name)
        ground[g] = frozenset(t for t in triples if not _has_blank(t))
        blank[g] = _rdflib(triples - ground[g])
    return StoreView(graphs, ground, blank, _provenance_shape(store))


def assert_same_store(ref: Store | StoreView, fast: Store | StoreView) -> None:
    """Same quads per graph (blank nodes up to renaming), same provenance shape."""
    a = ref if isinstance(ref, StoreView) else view(ref)
    b = fast if isinstance(fast, StoreView) else view(fast)
    assert a.graphs == b.graphs
    assert a.provenance == b.provenance
    for g, ground_a in a.ground.items():
        ground_b = b.ground[g]
        assert ground_a == ground_b, f"graph {g}: {len(ground_a ^ ground_b)} triples differ"
        assert isomorphic(a.blank[g], b.blank[g]), f"graph {g}"


def _triples(store: Store, graph: ox.NamedNode | None) -> set[ox.Triple]:
    pattern = store.ox.quads_for_pattern(None, None, None, graph or ox.DefaultGraph())
    return {q.triple for q in pattern}


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _rdflib(triples: set[ox.Triple]) -> Graph:
    g = Graph()
    for t in triples:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return g


def _provenance_shape(store: Store) -> Counter[tuple[str, str, str]]:
    """The meta graph with activity IRIs and timestamps replaced by placeholders."""
    shape: Counter[tuple[str, str, str]] = Counter()
    activity = str(model.import_activity("x")).rsplit("/", 1)[0] + "/"
    for q in store.ox.quads_for_pattern(None, None, None, META):
        s, p, o = (str(t) for t in q.triple)
        s = "<activity>" if s.startswith(f"<{activity}") else s
        o = "<activity>" if o.startswith(f"<{activity}") else o
        if q.predicate.value in _VOLATILE:
            o = "<time>"
        shape[(s, p, o)] += 1
    return shape


@pytest.fixture(scope="module")
def bench_40(inputs: Path) -> Path:
    """40 synthetic bench incidents (N-Triples)."""
    data = inputs / "bench-40.nt"
    write_files(data, 40, seed=3)
    return data


@pytest.fixture(scope="module")
def bench_20(inputs: Path) -> Path:
    """20 other synthetic bench incidents (N-Triples)."""
    data = inputs / "bench-20.nt"
    write_files(data, 20, seed=5)
    return data


def _counts(s: ImportSummary) -> tuple[Any, ...]:
    return (s.incidents_added, s.incidents_updated, s.triples, s.graph, s.merges)


def test_synthetic_bench_data_gives_the_same_store_and_summary(
    kind: str,
    fast_store: Store,
    validator: Validator,
    bench_40: Path,
    references: References,
    fast_only: None,
    variant: str,
) -> None:
    def reference(store: Store) -> tuple[ImportSummary, StoreView, ImportSummary]:
        first = _files(store, [bench_40], validator, "bench", fast=False)
        after_first = view(store)
        return first, after_first, _files(store, [bench_40], validator, "bench", fast=False)

    (a, first, a_again), again = references.get(kind, "bench", reference)
    b = _files(fast_store, [bench_40], validator, "bench", fast=True)
    assert _counts(a) == _counts(b)
    assert a.incidents_added == 40
    assert_same_store(first, fast_store)
    # Re-import: every incident updated, through the SPARQL Update write.
    b = _files(fast_store, [bench_40], validator, "bench", fast=True)
    assert (a_again.incidents_updated, b.incidents_updated) == (40, 40)
    assert_same_store(again, fast_store)


def _bundled_in_sequence(
    store: Store,
    sources: tuple[Graph, Graph],
    validator: Validator,
    curated: list[Path],
    *,
    fast: bool,
) -> list[ImportSummary]:
    aiid, threats = sources
    return [
        _graph(store, aiid, validator, "aiid", fast=fast),
        _graph(store, threats, validator, "topaithreats", fast=fast),
        _files(store, curated, validator, "curated", fast=fast),
        _files(store, curated[:5], validator, "curated", fast=fast),
    ]


def test_bundled_data_in_sequence_gives_the_same_stores(
    kind: str,
    fast_store: Store,
    validator: Validator,
    fast_only: None,
    curated: list[Path],
    bundled_sources: tuple[Graph, Graph],
    references: References,
    variant: str,
) -> None:
    """AIID, then TopAIThreats and the curated incidents (resolved against the store, with
    store context), then the curated incidents again (an update): the same stores."""

    def reference(store: Store) -> list[ImportSummary]:
        return _bundled_in_sequence(store, bundled_sources, validator, curated, fast=False)

    expected, ref = references.get(kind, "bundled", reference)
    summaries = _bundled_in_sequence(fast_store, bundled_sources, validator, curated, fast=True)
    seen = [
        [(s.merges, s.triples, s.incidents_updated) for s in run] for run in (expected, summaries)
    ]
    assert seen[0] == seen[1]
    assert summaries[-1].incidents_updated == 5
    assert_same_store(ref, fast_store)


def test_literals_get_rdflib_lexical_forms_and_blank_nodes_never_meet(
    stores: tuple[Store, Store], validator: Validator, tmp_path: Path, fast_only: None
) -> None:
    ttl = tmp_path / "odd.ttl"
    ttl.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<http://example.org/a> <http://example.org/n> "007"^^xsd:integer, "1.50"^^xsd:decimal,'
        ' "2026-02-30"^^xsd:date, "x"@EN-gb ; <http://example.org/b> _:b0 .\n'
        '_:b0 <http://example.org/n> "TRUE"^^xsd:boolean .\n'
    )
    nt = tmp_path / "odd.nt"
    nt.write_text('_:b0 <http://example.org/p> "other" .\n')
    ref, fast = stores
    for files in ([ttl, nt], [ttl]):
        _files(ref, files, validator, "curated", fast=False)
        _files(fast, files, validator, "curated", fast=True)
        assert_same_store(ref, fast)
    objects = {
        str(t.object) for t in _triples(fast, ox.NamedNode(str(model.named_graph("curated"))))
    }
    assert {'"7"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"@en-gb'} <= objects


@pytest.mark.parametrize(
    ("label", "old", "new"),
    [
        ("no-title", r"dcterms:title", "dcterms:alternative"),
        ("ill-typed-date", r'"\d{4}-\d\d-\d\d"\^\^xsd:date', '"2022-11-31"^^xsd:date'),
    ],
)
def test_violations_raise_the_same_report_and_write_nothing(
    kind: str,
    fast_store: Store,
    validator: Validator,
    inputs: Path,
    label: str,
    old: str,
    new: str,
    curated: list[Path],
    references: References,
    variant: str,
) -> None:
    broken = inputs / f"broken-{label}.ttl"  # one path: the same error text in every variant
    text = curated[0].read_text()
    assert re.search(old, text)
    broken.write_text(re.sub(old, new, text, count=1))

    def reject(store: Store, *, fast: bool) -> tuple[str, Any]:
        _files(store, curated[:3], validator, "curated", fast=fast)
        before = set(store.ox)
        with pytest.raises(ShapeViolations) as info:
            _files(store, [curated[3], broken], validator, "curated", fast=fast)
        assert set(store.ox) == before
        return str(info.value), info.value.report.results

    expected, ref = references.get(kind, f"violations-{label}", lambda s: reject(s, fast=False))
    assert reject(fast_store, fast=True) == expected
    assert_same_store(ref, fast_store)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("bad.ttl", "@prefix ex: <http://e/> .\nex:a ex:p ex:b ;\n  ex:q ."),
        ("bad.nt", '<http://e/a> <http://e/p> "x .\n'),
        ("bad.trig", "<http://e/g> { <http://e/a> <http://e/p> }"),
        ("bad.txt", "<http://e/a> <http://e/p> <http://e/b> ."),
    ],
)
def test_syntax_errors_are_the_same_and_write_nothing(
    stores: tuple[Store, Store],
    validator: Validator,
    tmp_path: Path,
    name: str,
    text: str,
    curated: list[Path],
) -> None:
    bad = tmp_path / name
    bad.write_text(text)
    ref, fast = stores
    errors = []
    for store, fast_path in ((ref, False), (fast, True)):
        with pytest.raises(HarmgraphError) as info:
            _files(store, [curated[0], bad], validator, "curated", fast=fast_path)
        errors.append((type(info.value), str(info.value)))
        assert len(store.ox) == 0
    assert errors[0] == errors[1]
    if name != "bad.txt":
        assert errors[0][0] is InvalidRDF and errors[0][1].startswith(f"{bad}:")


def test_missing_file_is_reported_before_anything_is_parsed(
    tmp_path: Path, curated: list[Path]
) -> None:
    store = Store.open("memory")
    with pytest.raises(NotFound, match="no such file or directory"):
        import_files(
            store,
            [curated[0], tmp_path / "gone.ttl"],
            graph_name="curated",
            source="x",
            validator=get_validator(),
        )
    assert len(store.ox) == 0


@pytest.mark.parametrize("store_kind", [b for b in STORE_PARAMS if b == "oxigraph"])
def test_remote_store_takes_the_reference_path(
    request: pytest.FixtureRequest,
    validator: Validator,
    tmp_path: Path,
    store_kind: str,
    curated: list[Path],
) -> None:
    url: str = request.getfixturevalue(f"{store_kind}_url")
    remote = param_store(store_kind, tmp_path, url)
    local = Store.open("memory")
    for store, fast_path in ((local, False), (remote, True)):
        _files(store, curated[:4], validator, "curated", fast=fast_path)
        _files(store, curated[:2], validator, "curated", fast=fast_path)
    copy = Store.open("memory")  # the remote store's quads, compared as an embedded store's
    for s, p, o, g in remote.quads():
        graph = ox.DefaultGraph() if g is None else ox.NamedNode(str(g))
        copy.ox.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph))  # type: ignore[arg-type]
    assert_same_store(local, copy)


def test_bulk_write_gives_the_same_store(
    validator: Validator,
    tmp_path: Path,
    fast_only: None,
    bench_20: Path,
    references: References,
    variant: str,
) -> None:
    def reference(store: Store) -> ImportSummary:
        return _files(store, [bench_20], validator, "bench", fast=False)

    _, ref = references.get("disk", "bench-20", reference)
    with Store.open(str(tmp_path / "bulk")) as bulk:
        import_files(
            bulk,
            [bench_20],
            graph_name="bench",
            source=str(bench_20),
            validator=validator,
            bulk=True,
        )
        assert_same_store(ref, bulk)
