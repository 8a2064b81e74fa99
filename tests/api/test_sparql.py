"""The /sparql endpoint for real: uvicorn on 127.0.0.1 and a real SPARQL client."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper

from api.main import create_app
from graph.settings import Settings
from graph.store import Store
from tests.api.conftest import Serve
from tests.backends import active, fresh_store

TOKEN = "s3cret-for-tests"  # noqa: S105 - a test-only token for a throw-away server
DATA = """INSERT DATA { GRAPH <http://example.org/g> {
  <http://example.org/a> <http://example.org/p> "one", "two" .
  <http://example.org/b> <http://example.org/p> "three" .
} }"""


@pytest.fixture
def endpoint(serve: Serve, backend: str) -> str:
    store = fresh_store()
    store.update(DATA)
    return serve(create_app(Settings(store="memory", write_token=TOKEN), store)) + "/sparql"


def _client(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


SELECT = "SELECT ?o WHERE { <http://example.org/a> <http://example.org/p> ?o } ORDER BY ?o"


def test_select_json_with_sparqlwrapper(endpoint: str) -> None:
    result = _client(endpoint, SELECT, JSON).queryAndConvert()
    assert [b["o"]["value"] for b in result["results"]["bindings"]] == ["one", "two"]


def test_select_xml_with_sparqlwrapper(endpoint: str) -> None:
    doc = _client(endpoint, SELECT, XML).queryAndConvert()
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert values == ["one", "two"]


@pytest.mark.parametrize(("fmt", "expected"), [(CSV, b"o\r\none\r\ntwo\r\n"), (TSV, None)])
def test_select_csv_tsv_with_sparqlwrapper(endpoint: str, fmt: str, expected: bytes | None) -> None:
    body = _client(endpoint, SELECT, fmt).queryAndConvert()
    assert body == (expected or b'?o\n"one"\n"two"\n')


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_with_sparqlwrapper(endpoint: str, fmt: str) -> None:
    yes = _client(endpoint, "ASK { ?s ?p 'three' }", fmt)
    no = _client(endpoint, "ASK { ?s ?p 'four' }", fmt)
    if fmt == JSON:
        assert yes.queryAndConvert()["boolean"] is True
        assert no.queryAndConvert()["boolean"] is False
    else:
        assert yes.queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data == "true"
        assert no.queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [(TURTLE, "turtle"), (N3, "turtle"), (XML, None), (JSONLD, None)]
)
def test_construct_with_sparqlwrapper(endpoint: str, fmt: str, rdflib_format: str | None) -> None:
    client = _client(endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", fmt)
    result = client.queryAndConvert()
    graph = Graph().parse(data=result, format=rdflib_format) if rdflib_format else result
    assert isinstance(graph, Graph)
    assert len(graph) == 3
    assert (URIRef("http://example.org/b"), None, None) in graph


def test_update_with_sparqlwrapper_and_token(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    # Into a named graph: a remote store's union default graph covers the named graphs only.
    client.setQuery(
        "INSERT DATA { GRAPH <http://example.org/g> "
        "{ <http://example.org/c> <http://example.org/p> 'four' } }"
    )
    client.query()
    assert _client(endpoint, "ASK { ?s ?p 'four' }", JSON).queryAndConvert()["boolean"] is True


@pytest.mark.parametrize(
    ("token", "header", "status"),
    [
        (TOKEN, None, 401),
        (TOKEN, "Bearer wrong", 401),
        (TOKEN, f"Basic {TOKEN}", 401),
        ("", f"Bearer {TOKEN}", 403),
    ],
    ids=["no-token", "wrong-token", "wrong-scheme", "writes-off"],
)
def test_refused_update_writes_nothing(
    serve: Serve, token: str, header: str | None, status: int
) -> None:
    store = Store.open("memory")
    base = serve(create_app(Settings(store="memory", write_token=token), store))
    headers = {"Content-Type": "application/sparql-update"}
    if header:
        headers["Authorization"] = header
    response = httpx.post(
        f"{base}/sparql", content="INSERT DATA { <http://e/s> <http://e/p> 1 }", headers=headers
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert store.count() == 0


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 that records whether anybody connected."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def _nobody_connected(sock: socket.socket) -> bool:
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return True
    return False


def test_service_is_refused_and_never_connects(endpoint: str, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    response = httpx.get(endpoint, params={"query": query})
    assert response.status_code == 403
    assert "allow-list" in response.json()["detail"]
    assert _nobody_connected(listener)


def test_service_in_a_string_is_just_a_string(endpoint: str) -> None:
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) } # LOAD <x>'
    response = httpx.get(endpoint, params={"query": query})
    assert response.status_code == 200


def test_load_is_refused_and_never_connects(endpoint: str, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    response = httpx.post(
        endpoint,
        content=f"LOAD <http://127.0.0.1:{port}/data.ttl>",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 403
    assert _nobody_connected(listener)


def test_row_cap_truncates_and_says_so(serve: Serve) -> None:
    base = serve(create_app(Settings(store="memory", max_rows=2)))
    query = "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }"
    response = httpx.get(f"{base}/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["hg-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 2
    small = httpx.get(f"{base}/sparql", params={"query": "SELECT ?x { VALUES ?x { 1 2 } }"})
    assert "hg-truncated" not in small.headers


def test_syntax_error_is_a_problem_with_position(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "SELECT * WHERE {\n  ?s ?p }"})
    assert response.status_code == 400
    problem = response.json()
    assert problem["line"] == 2
    # Virtuoso reports a line only (docs/deploy.md).
    assert isinstance(problem.get("column"), int) or (
        active() == "virtuoso" and "column" not in problem
    )
    assert problem["type"].endswith("/invalid-query")


def test_unacceptable_format_is_406(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_service_description_in_turtle(endpoint: str) -> None:
    response = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(endpoint), URIRef(sd + "endpoint"), URIRef(endpoint)) in graph


EXPLOSIVE = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)


def test_timeout_kills_the_query_and_others_are_served(serve: Serve, tmp_path: Path) -> None:
    limit = 2.0
    store = Store.open(str(tmp_path / "store"))
    p, g = ox.NamedNode("http://e/p"), ox.NamedNode("http://e/g")
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), p, ox.Literal(i), g) for i in range(300))
    settings = Settings(store=str(tmp_path / "store"), query_timeout=limit, query_workers=2)
    app = create_app(settings, store)
    base = serve(app)
    workers_before = set(app.state.queries.pids())
    outcome: dict[str, object] = {}

    def explode() -> None:
        start = time.monotonic()
        outcome["response"] = httpx.get(f"{base}/sparql", params={"query": EXPLOSIVE}, timeout=30)
        outcome["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=explode)
    thread.start()
    simple = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert simple.status_code == 200 and json.loads(simple.text)["boolean"] is True
    thread.join(timeout=30)
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert response.json()["limit"] == "query_timeout"
    assert response.json()["seconds"] == limit
    assert isinstance(outcome["elapsed"], float) and outcome["elapsed"] < 2 * limit
    after = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert after.status_code == 200
    killed = workers_before - set(app.state.queries.pids())
    assert len(killed) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
