"""Every worked example through real SPARQL clients against uvicorn on 127.0.0.1.

On each store backend (tests/backends.py) the app serves the bundled data: from an
on-disk store (``bundled_store_path``), so its queries run in worker processes
(``ProcessExecutor``) as under ``harmgraph serve``, or from the Oxigraph server that
holds it (``bundled_server_url``), to which its queries are proxied
(``RemoteExecutor``). Each example in data/queries/ goes through SPARQLWrapper (JSON
results) and must give the same rows as the same query run in-process on the app's
store (:meth:`graph.store.Store.query`; the order of a ``GROUP_CONCAT`` is the
store's); rdflib's ``SPARQLStore`` then queries the endpoint with SELECT, ASK and
CONSTRUCT.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from api.main import create_app
from api.sparql.pool import ProcessExecutor
from api.sparql.remote import RemoteExecutor
from graph.examples import EXAMPLES_DIR, get_example, load_examples
from graph.settings import Settings
from graph.store import Store
from tests.backends import Shared, skip_on_virtuoso
from tests.graph.test_examples import VIRTUOSO_SLOW

EXAMPLES = [ex.slug for ex in load_examples()]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PALANTIR = URIRef("https://w3id.org/harmgraph/id/actor/palantir")
#: A binding as comparable data: (kind, value, datatype or language).
Cell = tuple[str, str, str]


class Server:
    """The app under uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 30
        while True:  # poll until it answers: the loop checks the server, it does not wait blind
            try:
                if httpx.get(self.url + "/-/health", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.01)

    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")
#: Who answers the endpoint's queries on each backend.
EXECUTORS = {"embedded": ProcessExecutor, "oxigraph": RemoteExecutor, "virtuoso": RemoteExecutor}


@pytest.fixture
def server(backend: str, shared: Shared, request: pytest.FixtureRequest) -> Server:
    """The app over the bundled data under uvicorn, one per backend for the module."""

    def start() -> Server:
        if backend == "embedded":
            settings = Settings(store=str(request.getfixturevalue("bundled_store_path")))
        elif backend == "virtuoso":
            settings = request.getfixturevalue("bundled_virtuoso").settings()
        else:
            url = request.getfixturevalue("bundled_server_url")
            settings = Settings(store=url, store_union_default_graph=True)
        running = Server(settings)
        shared.cleanup.callback(running.stop)
        return running

    return shared.get("bundled", start, own_server=False)


def test_the_app_answers_from_worker_processes_or_the_engine(backend: str, server: Server) -> None:
    assert isinstance(server.app.state.queries, EXECUTORS[backend])
    location = server.store.location
    assert Path(location).is_dir() if backend == "embedded" else location.startswith("http://")


def _in_process(store: Store, text: str) -> Counter[tuple[tuple[str, Cell], ...]]:
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows: Counter[tuple[tuple[str, Cell], ...]] = Counter()
    for solution in result:
        cells = []
        for name in names:
            term = solution[name]
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                cells.append((name, ("uri", term.value, "")))
            elif isinstance(term, ox.BlankNode):
                cells.append((name, ("bnode", "", "")))
            else:
                assert isinstance(term, ox.Literal)
                extra = term.language or (
                    "" if term.datatype.value == XSD_STRING else term.datatype.value
                )
                cells.append((name, ("literal", term.value, extra)))
        rows[tuple(sorted(cells))] += 1
    return rows


def _from_json(result: dict[str, Any]) -> Counter[tuple[tuple[str, Cell], ...]]:
    rows: Counter[tuple[tuple[str, Cell], ...]] = Counter()
    for binding in result["results"]["bindings"]:
        cells = []
        for name, value in binding.items():
            kind = {"typed-literal": "literal"}.get(value["type"], value["type"])
            if kind == "bnode":
                cells.append((name, ("bnode", "", "")))
                continue
            extra = value.get("xml:lang") or value.get("datatype", "")
            cells.append((name, (kind, value["value"], "" if extra == XSD_STRING else extra)))
        rows[tuple(sorted(cells))] += 1
    return rows


@pytest.mark.parametrize("slug", EXAMPLES)
def test_example_through_sparqlwrapper_gives_the_in_process_rows(server: Server, slug: str) -> None:
    if slug in VIRTUOSO_SLOW:
        skip_on_virtuoso(VIRTUOSO_SLOW[slug])
    example = get_example(slug)
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(example.text)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    remote = _from_json(result)
    assert remote == _in_process(server.store, example.text)
    assert sum(remote.values()) == len(result["results"]["bindings"]) > 0


def test_the_parametrisation_covers_every_example_file() -> None:
    assert sorted(path.stem for path in EXAMPLES_DIR.glob("*.rq")) == EXAMPLES
    assert len(EXAMPLES) >= 20


@pytest.fixture
def remote_graph(server: Server) -> Graph:
    """The endpoint's default graph (the union of all graphs) through rdflib's SPARQLStore,
    with the client's defaults (XML results; RDF/XML for CONSTRUCT). Not context-aware:
    a context-aware store would send the rdflib graph's identifier as default-graph-uri."""
    return Graph(SPARQLStore(server.url + "/sparql", context_aware=False))


def test_sparqlstore_select_with_json_results(server: Server) -> None:
    example = get_example("02-actors-sharing-incidents-with-palantir")
    graph = Graph(SPARQLStore(server.url + "/sparql", returnFormat="json", context_aware=False))
    rows = list(graph.query(example.text))
    assert len(rows) == sum(_in_process(server.store, example.text).values()) > 0


def test_sparqlstore_select(server: Server, remote_graph: Graph) -> None:
    example = get_example("09-palantir-developed-who-deployed")
    rows = list(remote_graph.query(example.text))
    assert rows
    expected = _in_process(server.store, example.text)
    assert sum(expected.values()) == len(rows)
    deployers = {row["deployer"] for row in rows}  # type: ignore[index]
    assert URIRef("https://w3id.org/harmgraph/id/actor/us-immigration-and-customs-enforcement") in (
        deployers
    )


def test_sparqlstore_ask(remote_graph: Graph) -> None:
    assert remote_graph.query(f"ASK {{ <{PALANTIR}> a ?type }}").askAnswer is True
    assert remote_graph.query("ASK { <https://example.org/nobody> ?p ?o }").askAnswer is False
    assert (PALANTIR, RDFS.label, Literal("Palantir Technologies", lang="en")) in remote_graph


def test_sparqlstore_construct(server: Server, remote_graph: Graph) -> None:
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX hg: <https://w3id.org/harmgraph/ontology#>\n"
        "CONSTRUCT { ?i hg:developer ?d . ?d rdfs:label ?l } "
        f"WHERE {{ ?i hg:developer ?d . ?d rdfs:label ?l . FILTER(?d = <{PALANTIR}>) }}"
    )
    remote = remote_graph.query(query).graph
    assert remote is not None and len(remote) > 1
    local = Graph()
    triples = server.store.query(query)
    assert isinstance(triples, ox.QueryTriples)
    for triple in triples:
        local.add(
            (URIRef(triple.subject.value), URIRef(triple.predicate.value), _rdflib(triple.object))
        )
    assert isomorphic(remote, local)


def _rdflib(term: Any) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    datatype = None if term.language or term.datatype.value == XSD_STRING else term.datatype.value
    return Literal(term.value, lang=term.language, datatype=datatype)
