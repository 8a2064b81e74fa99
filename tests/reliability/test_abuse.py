"""SPARQL abuse against the running service: refused or stopped, and others keep being served.

One service process per store backend (uvicorn on 127.0.0.1 over an on-disk store,
or over the Oxigraph server, with 60 synthetic incidents, query time limit 2 s, a
write token) takes every attack (tests/backends.py). Addresses
such as 10.0.0.1 or 169.254.169.254 are only strings inside queries here: they
must be refused before any connection is tried, and the test never sends
anything anywhere but 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from graph.ingest import import_graph
from graph.io import parse
from graph.store import Store
from graph.validation import get_validator
from tests.backends import Shared, fresh_store
from tests.reliability import servers
from tests.reliability.stores import synthetic_files

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("backend")]

TIMEOUT = 2.0
AUTH = {"Authorization": f"Bearer {servers.TOKEN}"}
#: A query stopped at the limit: the worker was killed (503), or the engine, which harmgraph
#: cannot stop, did not answer in time (504, a gateway's time-out: docs/deploy.md).
TIMED_OUT = {"embedded": 503, "oxigraph": 504}


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A loopback listener that no query may ever reach."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    yield sock
    sock.close()


@pytest.fixture
def service(
    backend: str, shared: Shared, tmp_path_factory: pytest.TempPathFactory
) -> servers.Server:
    """One service process per backend for the module: the attacks leave its store as it was."""

    def start() -> servers.Server:
        folder = tmp_path_factory.mktemp(f"abuse-{backend}")
        base, _ = synthetic_files(folder, total=60, base=60)
        with Store.open(folder / "store") if backend == "embedded" else fresh_store() as store:
            import_graph(
                store, parse(base), graph_name="syn", source="base", validator=get_validator()
            )
            location = store.location
        server = servers.start(
            location, folder / "server.log", query_timeout=str(TIMEOUT), query_workers="2"
        )
        shared.cleanup.callback(server.stop)
        return server

    return shared.get("service", start)


def _targets(listener: socket.socket) -> list[str]:
    port = listener.getsockname()[1]
    return [
        f"http://127.0.0.1:{port}/sparql",
        f"http://localhost:{port}/",
        "http://10.0.0.1/sparql",
        "http://169.254.169.254/latest/meta-data/",
        f"http://[::1]:{port}/",
        "file:///etc/passwd",
    ]


def _queries(target: str) -> list[str]:
    escaped = target.replace(":", "\\u003A", 1)  # an escape the lexer must see through
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{target}> SELECT * WHERE {{ SERVICE x: {{ ?s ?p ?o }} }}",
        f"BASE <{target}> SELECT * WHERE {{ SERVICE <> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?svc {{ <{target}> }} SERVICE ?svc {{ ?s ?p ?o }} }}",
    ]


def _updates(target: str) -> list[str]:
    return [
        f"LOAD <{target}>",
        f"LOAD SILENT <{target}> INTO GRAPH <urn:x:g>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
    ]


def _quads(server: servers.Server) -> int:
    quads: int = httpx.get(f"{server.base}/-/health", timeout=10).json()["quads"]
    return quads


def _assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_service_and_load_to_local_and_private_addresses_are_refused_unconnected(
    service: servers.Server, listener: socket.socket
) -> None:
    quads = _quads(service)
    tried = 0
    with httpx.Client(base_url=service.base, timeout=30) as client:
        for target in _targets(listener):
            for query in _queries(target):
                _assert_problem(client.get("/sparql", params={"query": query}), 403)
                tried += 1
            for update in _updates(target):
                response = client.post(
                    "/sparql",
                    content=update,
                    headers={**AUTH, "Content-Type": "application/sparql-update"},
                )
                _assert_problem(response, 403)
                tried += 1
    assert tried == 54
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing ever connected to the loopback listener
    assert _quads(service) == quads


def test_updates_through_the_query_endpoint_are_refused(service: servers.Server) -> None:
    quads = _quads(service)
    updates = [
        "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP ALL",
    ]
    with httpx.Client(base_url=service.base, timeout=30) as client:
        for update in updates:
            _assert_problem(client.get("/sparql", params={"query": update}), 400)
            form = client.post("/sparql", data={"query": update}, headers=AUTH)
            _assert_problem(form, 400)
            direct = client.post(
                "/sparql",
                content=update,
                headers={**AUTH, "Content-Type": "application/sparql-query"},
            )
            _assert_problem(direct, 400)
    assert _quads(service) == quads


def test_deeply_nested_queries_and_updates_are_refused_and_the_service_lives(
    service: servers.Server,
) -> None:
    """Regression: 4,000 nested brackets overflowed pyoxigraph's parser stack (segfault)."""
    n = 4000
    texts = {
        "braces": "SELECT * WHERE " + "{" * n + " ?s ?p ?o " + "}" * n,
        "optionals": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * n + "}" * (n + 1),
        "parentheses": "ASK { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    }
    update = "INSERT DATA { <urn:x:a> <urn:x:b> " + "[ <urn:x:p> " * n + "1" + " ]" * n + " }"
    with httpx.Client(base_url=service.base, timeout=30) as client:
        for text in texts.values():
            response = client.post(
                "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}
            )
            _assert_problem(response, 400)
            assert response.json()["limit"] == "max_query_depth"
        response = client.post(
            "/sparql", content=update, headers={**AUTH, "Content-Type": "application/sparql-update"}
        )
        _assert_problem(response, 400)
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_very_long_query_is_refused_naming_the_limit(service: servers.Server) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 100_001
    response = httpx.post(
        f"{service.base}/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    _assert_problem(response, 400)
    assert response.json()["limit"] == "max_query_length"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?x . ?c ?d ?y . ?e ?f ?z "
        'FILTER(REGEX(CONCAT(STR(?x), STR(?y), STR(?z)), "(a+)+$")) }',
        "SELECT ?s WHERE { ?s ?p ?o . ?t ?q ?r "
        'FILTER(REGEX(STR(?o), "^(([a-z])+.)+[A-Z]([a-z])+$")) }',
    ],
    ids=["cross-product", "regex-over-cross-product", "regex-evil"],
)
def test_runaway_queries_stop_at_the_time_limit_while_others_are_answered(
    backend: str, service: servers.Server, query: str
) -> None:
    answers: list[httpx.Response] = []

    def runaway() -> None:
        answers.append(httpx.get(f"{service.base}/sparql", params={"query": query}, timeout=60))

    thread = threading.Thread(target=runaway)
    started = time.monotonic()
    thread.start()
    quick = []
    while thread.is_alive() and len(quick) < 20:
        response = httpx.get(
            f"{service.base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30
        )
        quick.append(response.status_code)
    thread.join()
    elapsed = time.monotonic() - started
    (answer,) = answers
    assert answer.status_code in (200, TIMED_OUT[backend]), answer.text
    if answer.status_code != 200:
        assert answer.json()["limit"] == "query_timeout"
    assert elapsed < TIMEOUT + 3
    assert quick and set(quick) == {200}, quick
