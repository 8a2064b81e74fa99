"""Tests of graph/remote.py, remote_http.py and remote_text.py: the store over HTTP.

The happy paths run in the store, io and ingest tests on a real Oxigraph server
(tests/backends.py); here: failure handling (engine down, slow, failing), retries
only for GET queries, credentials never shown, atomic imports, and the SPARQL text.
"""

from __future__ import annotations

import http.server
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from api.main import create_app
from graph import io, model
from graph.errors import InvalidQuery, RemoteStoreUnavailable, RemoteTimeout, StoreError
from graph.ingest import import_graph
from graph.remote import RemoteStore
from graph.remote_text import with_values
from graph.settings import Settings
from graph.store import Store
from graph.validation import get_validator

SECRET = "hunter2-not-a-real-password"  # noqa: S105 - must never show up anywhere
CURATED = Path(__file__).parent.parent.parent / "data" / "incidents" / "inc-26-0068.ttl"


def _remote(url: str, **settings: object) -> RemoteStore:
    store = Store.open(url, Settings(store=url, **settings))  # type: ignore[arg-type]
    assert isinstance(store, RemoteStore)
    return store


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Engine(http.server.BaseHTTPRequestHandler):
    """A fake engine that answers every request with ``status`` and counts requests."""

    status = 500
    seen: list[str] = []

    def _answer(self) -> None:
        type(self).seen.append(self.command)
        body = f"engine failure (user admin:{SECRET})".encode()
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815 - http.server's naming

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def failing_engine() -> Iterator[str]:
    _Engine.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Engine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://admin:{SECRET}@127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_engine() -> Iterator[str]:
    """Accepts connections and never answers: a slow engine."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://admin:{SECRET}@127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_unreachable_engine_is_a_502_that_never_shows_the_password(
    closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://admin:{SECRET}@127.0.0.1:{closed_port}"
    store = _remote(url)
    assert SECRET not in store.location and SECRET not in repr(store)
    with pytest.raises(RemoteStoreUnavailable) as info:
        store.count()
    assert info.value.status == 502 and SECRET not in str(info.value)
    caplog.set_level(logging.DEBUG)
    client = TestClient(create_app(Settings(store=url), store), raise_server_exceptions=False)
    for path in ("/sparql?query=ASK%20%7B%7D", "/-/health", "/dump.nq", "/id/actor/x.json"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 502, path
        assert response.headers["content-type"] == "application/problem+json"
        assert "remote store unavailable" in response.json()["detail"]
        assert SECRET not in response.text
    assert all(SECRET not in record.getMessage() for record in caplog.records)
    assert all(SECRET not in (record.exc_text or "") for record in caplog.records)


def test_slow_engine_is_a_504_within_the_time_limit(silent_engine: str) -> None:
    store = _remote(silent_engine, query_timeout=0.3)
    with pytest.raises(RemoteTimeout) as info:
        store.query("ASK {}")
    assert info.value.status == 504 and SECRET not in str(info.value)
    client = TestClient(create_app(Settings(store=silent_engine, query_timeout=0.3), store))
    response = client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 504
    assert response.json()["title"] == "Remote store timeout"
    assert SECRET not in response.text


def test_engine_5xx_is_a_502_and_only_get_queries_are_retried(failing_engine: str) -> None:
    store = _remote(failing_engine)
    with pytest.raises(RemoteStoreUnavailable) as info:
        store.query("ASK {}")
    assert "answered 500" in str(info.value) and SECRET not in str(info.value)
    assert _Engine.seen == ["GET"]  # a 500 is the engine's answer: asking again will not help
    _Engine.status, _Engine.seen = 503, []
    try:
        with pytest.raises(RemoteStoreUnavailable, match="answered 503"):
            store.query("ASK {}")
        assert _Engine.seen == ["GET", "GET", "GET"]  # two retries with backoff
        _Engine.seen = []
        with pytest.raises(RemoteStoreUnavailable):
            store.update("INSERT DATA { <http://e/a> <http://e/p> 1 }")
        assert _Engine.seen == ["POST"]  # an update is never retried
    finally:
        _Engine.status = 500


def test_engine_refusing_credentials_is_a_502(failing_engine: str) -> None:
    _Engine.status = 401
    try:
        with pytest.raises(RemoteStoreUnavailable, match="refused harmgraph's credentials"):
            _remote(failing_engine).update("CLEAR ALL")
    finally:
        _Engine.status = 500


def test_failed_import_leaves_the_remote_store_unchanged(oxigraph_url: str) -> None:
    store = _remote(oxigraph_url)
    store.clear()
    data = io.parse(CURATED)
    import_graph(store, data, graph_name="curated", source="x", validator=get_validator())
    before = sorted(map(str, store.quads()))
    assert before

    # The engine rejects the request's last operation: the deletes and inserts before it in
    # the same request must not be applied either.
    send = store.http.update

    def failing(text: object) -> None:
        assert isinstance(text, str)
        send(f"{text} ;\nCREATE GRAPH {ox.NamedNode(str(model.META_GRAPH))}")

    store.http.update = failing  # type: ignore[assignment, method-assign]
    changed = data.__class__()
    for t in data:
        changed.add(t)
    changed.set(
        (URIRef(str(model.mint("incident", "inc-26-0068"))), model.HG.keyFact, Literal("x"))
    )
    with pytest.raises(StoreError):
        import_graph(store, changed, graph_name="curated", source="y", validator=get_validator())
    assert sorted(map(str, store.quads())) == before


def test_substitutions_cannot_inject_sparql(oxigraph_url: str) -> None:
    store = _remote(oxigraph_url)
    store.clear()
    store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 'x' } }")
    hostile = Literal("x' } } ; DROP ALL ; SELECT * { ?s ?p '")
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", substitutions={"o": hostile})
    assert list(rows) == []  # type: ignore[arg-type]
    assert store.count() == 1


def test_error_positions_are_in_the_callers_text(oxigraph_url: str) -> None:
    with pytest.raises(InvalidQuery) as info:
        _remote(oxigraph_url).query("SELECT * WHERE {\n  ?s ?p }")
    assert (info.value.line, info.value.column) == (2, 10)


def test_a_closed_remote_store_raises_store_error_like_the_embedded_one(oxigraph_url: str) -> None:
    # It raised httpx's RuntimeError, which the quality report's background thread
    # (it stops quietly on a HarmgraphError once the store is closed) did not catch.
    store = _remote(oxigraph_url)
    store.close()
    for use in (store.count, lambda: store.update("CLEAR ALL"), lambda: list(store.quads())):
        with pytest.raises(StoreError, match="is closed"):
            use()


def test_values_go_into_the_where_group_not_the_construct_template() -> None:
    a = ox.NamedNode("http://e/a")
    text = with_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": a})
    assert text == "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://e/a>) } ?s ?p ?o }"
    sub = with_values("SELECT ?s WHERE { SELECT ?s { ?s ?p ?o } }", {"s": a})
    assert sub == "SELECT ?s WHERE { VALUES (?s) { (<http://e/a>) } { SELECT ?s { ?s ?p ?o } } }"
    with pytest.raises(InvalidQuery, match="projection"):
        with_values("SELECT ?o { ?s ?p ?o }", {"s": a})


class _NodeIdEngine(http.server.BaseHTTPRequestHandler):
    """Answers every query as Virtuoso 7.2 does for a blank node: ``nodeID://`` labels."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        iri = '{"type": "uri", "value": "http://e/a"}'
        row = f'{{"s": {iri}, "p": {iri}, "o": {iri}, "g": {iri}}}'
        bad = row.replace(f'"o": {iri}', '"o": {"type": "bnode", "value": "nodeID://b10001"}')
        head = '{"vars": ["s", "p", "o", "g"]}'
        body = f'{{"head": {head}, "results": {{"bindings": [{row}, {bad}]}}}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_an_answer_that_fails_to_parse_part_way_is_a_store_error() -> None:
    # Results parse lazily: the bad second row raised pyoxigraph's SyntaxError in the
    # caller's loop (a traceback from `harmgraph validate --all` on Virtuoso).
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NodeIdEngine)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = _remote(f"http://127.0.0.1:{server.server_address[1]}")
        for use in (
            lambda: store.query("SELECT ?s WHERE { ?s ?p ?o }"),
            lambda: list(store.quads()),
            lambda: store.graphs(),
        ):
            with pytest.raises(StoreError, match="does not parse"):
                use()
    finally:
        server.shutdown()
        server.server_close()
