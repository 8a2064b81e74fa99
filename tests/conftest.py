"""Fixtures shared by tests under graph/ and api/.

``bundled_store`` is the one exception to "a fresh store per test": it holds the
whole bundled data (ontology, vocabularies, the actor registry, curated incidents,
the AIID snapshot, the TopAIThreats pages, resolved as by load-bundled), which
takes several seconds to build, so it is built once per session and tests only
read it (the worked examples, the editor in a browser). Tests that write build
their own store.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph import model
from graph.importers.aiid import load_snapshot
from graph.importers.topaithreats import import_pages
from graph.registry import REGISTRY_GRAPH, get_registry
from graph.resolve import resolve
from graph.settings import PROJECT_ROOT, Settings
from graph.store import Store
from graph.terms import graph_name, to_quads
from tests.backends import (
    SERVERS,
    VIRTUOSO_MISSING,
    OxigraphServer,
    Shared,
    VirtuosoServer,
    activate,
    backends_for,
)

DATA = PROJECT_ROOT / "data"


def build_bundled_store() -> Store:
    """Load the bundled data into an in-memory store, one named graph per source.

    This bypasses validation and :func:`graph.ingest.import_graph` on purpose:
    the curated files are checked by tests/test_curated_data.py and the importers
    by their own tests; here only the resulting triples matter, and loading them
    directly is several times faster. Entity resolution is *not* bypassed: the
    registry goes in first and each source is resolved against it and the store
    (as :func:`graph.bundled.load_bundled` does), so the data is the served data.
    """
    store = ox.Store()
    vocab = ox.NamedNode(str(model.VOCAB_GRAPH))
    for path in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")) + sorted(
        (DATA / "vocab").glob("*.ttl")
    ):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=vocab)
    wrapped = Store(store, "memory")
    registry = get_registry()
    store.extend(to_quads(registry.graph, graph_name(str(REGISTRY_GRAPH))))
    curated = Graph()
    for path in sorted((DATA / "incidents").glob("*.ttl")):
        curated.parse(path, format="turtle")
    sources = (
        ("curated", curated),
        ("aiid", load_snapshot(Path(DATA / "aiid"))),
        ("topaithreats", import_pages(sorted((DATA / "topaithreats").glob("*.txt")))),
    )
    for name, data in sources:
        resolve(data, registry, wrapped)
        store.extend(to_quads(data, graph_name(str(model.named_graph(name)))))
    return wrapped


@pytest.fixture(scope="session")
def bundled_store() -> Store:
    """The bundled data, built once per session; read it, never write to it."""
    return build_bundled_store()


@pytest.fixture(scope="session")
def bundled_store_path(bundled_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data copied into an on-disk store, once per session; read it only.

    Apps opened on it answer queries from worker processes (``ProcessExecutor``),
    as ``harmgraph serve`` does; the directory is closed after the copy, so an app
    can open it.
    """
    path = tmp_path_factory.mktemp("bundled") / "store"
    disk = Store.open(str(path))
    disk.ox.bulk_extend(bundled_store.ox.quads_for_pattern(None, None, None, None))
    disk.close()
    return path


@pytest.fixture(scope="session")
def oxigraph_url() -> Iterator[str]:
    """A real Oxigraph server (in memory) for the session; tests clear it before use."""
    server = OxigraphServer()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def bundled_server_url(
    bundled_store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A second Oxigraph server holding the bundled data on disk; read it only.

    It serves a copy of ``bundled_store_path`` (pyoxigraph and the server share the
    on-disk format: no upload, about a second) with ``--location`` and
    ``--union-default-graph``, so the on-disk server and the engine-side union
    default graph (``HARMGRAPH_STORE_UNION_DEFAULT_GRAPH``, as on Virtuoso, GraphDB
    and Neptune) are covered; the session's main server covers the in-memory server
    with the union sent as a protocol dataset.
    """
    location = tmp_path_factory.mktemp("bundled-server") / "store"
    shutil.copytree(bundled_store_path, location)
    server = OxigraphServer(location, union_default=True)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server() -> Iterator[VirtuosoServer]:
    """A real Virtuoso (fresh database) for the session; tests clear harmgraph's graphs."""
    if VIRTUOSO_MISSING:
        pytest.skip(VIRTUOSO_MISSING)
    server = VirtuosoServer()
    SERVERS["virtuoso"] = server
    yield server
    SERVERS.pop("virtuoso", None)
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_url(virtuoso_server: VirtuosoServer) -> str:
    """The session's Virtuoso's base URL (its settings: ``virtuoso_server.settings()``)."""
    return virtuoso_server.url


@pytest.fixture(scope="session")
def bundled_virtuoso(
    bundled_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VirtuosoServer]:
    """A second Virtuoso holding the bundled data (bulk-loaded N-Quads); read it only."""
    if VIRTUOSO_MISSING:
        pytest.skip(VIRTUOSO_MISSING)
    path = tmp_path_factory.mktemp("bundled-virtuoso") / "bundled.nq"
    with path.open("wb") as out:
        bundled_store.ox.dump(out, ox.RdfFormat.N_QUADS)
    server = VirtuosoServer()
    try:
        server.load_nquads(path)
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture
def bundled(backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """The bundled data on the active backend: ``bundled_store``, or the on-disk server."""
    if backend == "embedded":
        yield request.getfixturevalue("bundled_store")
        return
    if backend == "virtuoso":
        virtuoso: VirtuosoServer = request.getfixturevalue("bundled_virtuoso")
        with Store.open(virtuoso.url, virtuoso.settings()) as store:
            yield store
        return
    url: str = request.getfixturevalue("bundled_server_url")
    with Store.open(url, Settings(store=url, store_union_default_graph=True)) as store:
        yield store


@pytest.fixture(scope="module")
def shared() -> Iterator[Shared]:
    """Read-only stores and apps built once per backend for a module (tests/backends.py)."""
    built = Shared()
    yield built
    built.close()


#: The test files that take longest, slowest first (seconds summed over their tests in a
#: three-backend run, docs/deploy.md). ``make test`` runs two pytest-xdist workers that
#: take whole files in collection order (``--dist loadfile --no-loadscope-reorder``): these
#: go first, so that the workers end together rather than one running a long file alone
#: at the end. Only the order: a file not named here runs as well, in its usual place.
SLOWEST_FILES = (
    "tests/graph/test_ingest_fast.py",
    "tests/graph/test_cli.py",
    "tests/reliability/test_crash.py",
    "tests/api/test_dumps.py",
    "tests/graph/test_quality_sparql.py",
    "tests/api/test_resources.py",
    "tests/graph/test_network_coincident.py",
    "tests/api/test_explore_browser.py",
    "tests/reliability/test_http_crash.py",
    "tests/api/test_examples_remote.py",
    "tests/reliability/test_concurrency.py",
    "tests/api/test_etags.py",
    "tests/api/test_explore.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the tests of :data:`SLOWEST_FILES` first; the rest keep their order."""
    rank = {path: i for i, path in enumerate(SLOWEST_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses ``backend`` once per configured backend."""
    if "backend" in metafunc.fixturenames:
        kinds = backends_for(Path(str(metafunc.module.__file__)))
        metafunc.parametrize("backend", kinds, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The store backend of this run: ``embedded``, ``oxigraph`` or ``virtuoso``.

    On Virtuoso the ``HARMGRAPH_STORE_*`` settings that reach it are in the
    environment for the test (so ``Settings(store=url)`` and CLI subprocesses get them).
    """
    kind: str = request.param
    url = ""
    if kind == "oxigraph":
        url = request.getfixturevalue("oxigraph_url")
    elif kind == "virtuoso":
        server: VirtuosoServer = request.getfixturevalue("virtuoso_server")
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        url = server.url
    activate(kind, url)
    yield kind
    activate("embedded")
