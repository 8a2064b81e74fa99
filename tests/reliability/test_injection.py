"""Injection: URL values never become SPARQL, data never becomes markup, paths stay inside.

The store holds INC-26-0068 (imported as the CLI does), a canary triple that no
view shows, and a hostile incident written *without* validation (as a SPARQL
Update could write it) whose every field that reaches HTML carries markup and
whose URLs are ``javascript:``.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import product
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from graph import model
from graph.settings import Settings
from graph.store import Store
from tests.api.stores import SYNTHETIC, TOKEN, app_for, curated_store
from tests.backends import Shared

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

CANARY = "CANARY-5b1d-never-shown"
SQL_LIKE = [
    '"',
    "'",
    "}",
    "} UNION { ?s ?p ?o }",
    '" } UNION { ?s ?p ?o } #',
    "'> } UNION { ?s ?p ?o . FILTER(true) } #",
    "<urn:x> } UNION { ?s ?p ?o }",
    'palantir\\" } UNION { ?s ?p ?o',
    "%00",
    "\u202e\u0000",
]
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'><svg onload=alert(1)>"
HOSTILE = "https://w3id.org/harmgraph/id/incident/hostile-1"
HOSTILE_ACTOR = "https://w3id.org/harmgraph/id/actor/hostile-actor"
HOSTILE_SOURCE = "https://w3id.org/harmgraph/id/source/hostile-source"


def _store() -> Store:
    store = curated_store()
    lit = '"' + XSS.replace("\\", "\\\\").replace('"', '\\"') + '"'
    hg, dc, rdfs = model.HG, "http://purl.org/dc/terms/", "http://www.w3.org/2000/01/rdf-schema#"
    schema, skos = "https://schema.org/", "http://www.w3.org/2004/02/skos/core#"
    graph = model.named_graph("hostile")
    store.update(
        f"""INSERT DATA {{ GRAPH <{graph}> {{
        <{HOSTILE}> a <{hg}Incident> ; <{dc}identifier> {lit} ; <{dc}title> {lit}@en ;
            <{dc}description> {lit} ; <{hg}keyFact> {lit} ; <{dc}date> "2025" ;
            <{hg}developer> <{HOSTILE_ACTOR}> ; <{hg}deployer> <{HOSTILE_ACTOR}> ;
            <{hg}implicated> <https://w3id.org/harmgraph/id/actor/palantir> ;
            <http://www.w3.org/ns/prov#wasDerivedFrom> <{HOSTILE_SOURCE}> .
        <{HOSTILE_ACTOR}> a <{hg}Actor> ; <{rdfs}label> {lit} ; <{skos}altLabel> {lit} ;
            <{schema}url> <javascript:alert(1)> .
        <{HOSTILE_SOURCE}> a <{hg}Source> ; <{dc}title> {lit} ; <{dc}publisher> {lit} ;
            <{schema}url> <javascript:alert(1)> .
        <urn:x:canary> <urn:x:secret> "{CANARY}" .
        }} }}"""
    )
    return store


@pytest.fixture
def client(shared: Shared) -> TestClient:
    """One app over the hostile store per backend: the tests only read it."""
    return shared.get("hostile", lambda: TestClient(app_for(_store())))


class _Markup(HTMLParser):
    """What an attacker needs from a page: scripts, handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A JSON data block is inert; markup inside it can only matter if it ends the block.
        inert = tag == "script" and dict(attrs).get("type") == "application/json"
        self._tag = "data" if inert else tag
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=...>")
            cleaned = "".join((value or "").split()).lower()
            if name in ("href", "src", "action", "formaction") and cleaned.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.bad.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self._tag == "script" and "alert(1)" in data:
            self.bad.append(f"<script>{data}")


def _assert_safe_html(body: str, where: str) -> None:
    page = _Markup()
    page.feed(body)
    assert page.bad == [], (where, page.bad)
    assert "<script>alert(1)" not in body and "<svg onload" not in body, where


GET_ROUTES = [
    "/search?q={v}",
    "/search.json?q={v}",
    "/search.json?q=palantir&kind={v}",
    "/network?focus={v}",
    "/network.json?focus={v}",
    "/network.json?focus=palantir&type={v}&severity={v}&region={v}",
    "/network.json?focus=palantir&from={v}&to={v}",
    "/network.json?focus=palantir&mode={v}&size={v}&colour={v}&hops={v}&max={v}",
    "/path?from={v}&to=ice",
    "/path.json?from=palantir&to={v}",
    "/path.json?from=palantir&to=ice&hops={v}&limit={v}",
    "/id/incident/{v}",
    "/id/actor/{v}.json",
    "/vocab/{v}",
    "/graph/{v}",
    "/dump.{v}",
    "/sparql/examples/{v}.rq",
    "/?format={v}",
]


@pytest.mark.parametrize(("route", "payload"), list(product(GET_ROUTES, SQL_LIKE)))
def test_sparql_syntax_in_any_url_value_is_data_not_query(
    client: TestClient, route: str, payload: str
) -> None:
    url = route.replace("{v}", quote(payload, safe=""))
    response = client.get(url)
    assert response.status_code < 500, (url, response.text[:300])
    assert CANARY not in response.text, url
    assert "Traceback" not in response.text and 'File "' not in response.text


HTML_PAGES = [
    "/id/incident/hostile-1",
    "/id/actor/hostile-actor",
    "/id/source/hostile-source",
    "/id/actor/palantir",
    "/search?q=script",
    "/search?q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/network?focus=hostile-actor",
    "/network?focus=palantir",
    "/path?from=hostile-actor&to=palantir",
    "/id/incident/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/nowhere/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_markup_and_javascript_urls_in_data_are_escaped_on_every_page(
    client: TestClient, path: str
) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code < 500, response.text[:300]
    if response.headers["content-type"].startswith("text/html"):
        _assert_safe_html(response.text, path)


def test_the_hostile_incident_page_shows_its_fields_as_text(client: TestClient) -> None:
    page = client.get("/id/incident/hostile-1", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


TRAVERSALS = [
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/vendor/yasgui/../../../../etc/passwd",
    "/static/vendor/yasgui/..%2f..%2f..%2f..%2f..%2fpyproject.toml",
    "/static/vendor/vis/..%2f..%2f..%2f..%2fpyproject.toml",
    "/static/swagger/..%2f..%2f..%2f..%2fetc/passwd",
    "/static/....//....//etc/passwd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static//etc/passwd",
    "/sparql/examples/..%2f..%2fpyproject.toml.rq",
    "/sparql/examples/%2e%2e%2f%2e%2e%2fREADME.rq",
    "/dump.ttl/../../etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_in_file_serving_routes_is_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "root:x:0:0" not in response.text and "[project]" not in response.text


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _post(body: bytes, **headers: str) -> tuple[int, str, int, int]:
    store = curated_store()
    small = TestClient(
        app_for_limits(store, max_upload_bytes=64 * 1024),
    )
    before = store.count()
    response = small.post("/incidents", content=body, headers={**AUTH, **headers})
    return response.status_code, response.headers.get("content-type", ""), before, store.count()


def app_for_limits(store: Store, **settings: int) -> FastAPI:
    return create_app(Settings(store="memory", write_token=TOKEN, **settings), store)


BOMB = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros in about 50 KB


@pytest.mark.parametrize(
    ("name", "body", "headers", "status"),
    [
        ("oversized", b"#" * (65 * 1024), {"Content-Type": "text/turtle"}, 413),
        (
            "gzip bomb",
            BOMB,
            {"Content-Type": "text/turtle", "Content-Encoding": "gzip"},
            415,
        ),
        ("html", SYNTHETIC.read_bytes(), {"Content-Type": "text/html"}, 415),
        ("form", b"a=b", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ("no type", SYNTHETIC.read_bytes(), {}, 415),
        (
            "latin-1",
            "# caf\xe9\n".encode("latin-1") + b"\xff\xfe",
            {"Content-Type": "text/turtle"},
            400,
        ),
        ("utf-16", SYNTHETIC.read_text().encode("utf-16"), {"Content-Type": "text/turtle"}, 400),
        ("NUL bytes", b"\0" * 1000, {"Content-Type": "application/n-triples"}, 400),
        (
            "json-ld garbage",
            b'{"@context": {"@vocab": 1}, "@graph": [[[[',
            {"Content-Type": "application/ld+json"},
            400,
        ),
    ],
)
def test_hostile_uploads_are_refused_clearly_and_write_nothing(
    name: str, body: bytes, headers: dict[str, str], status: int
) -> None:
    got, media, before, after = _post(body, **headers)
    assert got == status, name
    assert media == "application/problem+json", name
    assert after == before, name


def test_a_chunked_upload_past_the_limit_is_cut_off() -> None:
    store = curated_store()
    small = TestClient(app_for_limits(store, max_upload_bytes=64 * 1024))

    def chunks() -> Iterator[bytes]:
        for _ in range(1000):
            yield b"#" * (16 * 1024)

    response = small.post(
        "/incidents", content=chunks(), headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert response.status_code == 413
    assert response.json()["limit"] == 64 * 1024


def test_a_javascript_url_in_schema_url_is_shown_not_linked(client: TestClient) -> None:
    """Regression: schema:url <javascript:alert(1)> became a clickable link on three pages."""
    for path in ("/id/incident/hostile-1", "/id/actor/hostile-actor", "/id/source/hostile-source"):
        page = client.get(path, headers={"Accept": "text/html"}).text
        assert "javascript:alert(1)" in page  # shown as text
        assert 'href="javascript:' not in page
