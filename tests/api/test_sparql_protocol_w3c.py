"""The W3C SPARQL 1.1 Protocol test suite against /sparql, one test per manifest entry.

Reads tests/data/w3c-sparql11-protocol/manifest.ttl: each entry has data files to
load into named graphs and a list of HTTP requests (method, path under /sparql/,
headers, body) with the expected status class, result format and, for ASK,
boolean. Each entry runs on each store backend (tests/backends.py), with a fresh
store and its own uvicorn server; every request carries the write token, so update
tests reach the authenticated endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS
from rdflib.term import Node

from api.main import create_app
from graph.settings import Settings
from tests.api.conftest import Serve
from tests.backends import fresh_store

SUITE = Path(__file__).resolve().parents[1] / "data" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "w3c-test-token"  # noqa: S105 - a test-only token for a throw-away server

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]
    result_format: str | None
    boolean: bool | None


@dataclass
class Case:
    name: str
    label: str
    data: list[tuple[Path, str]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)


def _one(g: Graph, s: Node, p: URIRef) -> Node | None:
    return next(iter(g.objects(s, p)), None)


def _call(g: Graph, req: Node) -> Call:
    headers = {}
    header_list = _one(g, req, HT.headers)
    for h in Collection(g, header_list) if header_list is not None else []:
        headers[str(_one(g, h, HT.fieldName))] = str(_one(g, h, HT.fieldValue))
    body = None
    body_node = _one(g, req, HT.body)
    if body_node is not None:
        encoding = str(_one(g, body_node, CNT.characterEncoding) or "UTF-8")
        body = str(_one(g, body_node, CNT.chars)).encode(encoding)
    resp = _one(g, req, HT.resp)
    statuses = {int(str(s)[len(HTS)]) for s in g.objects(resp, MF.expectedStatus)}
    fmt = _one(g, resp, MF.expectedFormat)
    boolean = _one(g, resp, MF.expectedBoolean)
    return Call(
        method=str(_one(g, req, HT.methodName)),
        path=str(_one(g, req, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        result_format=str(fmt) if fmt is not None else None,
        boolean=bool(boolean.toPython()) if boolean is not None else None,  # type: ignore[union-attr]
    )


def load_cases() -> list[Case]:
    g = Graph().parse(SUITE / "manifest.ttl", publicID=SUITE.as_uri() + "/")
    manifest = next(g.subjects(MF.entries, None))
    cases = []
    for entry in Collection(g, _one(g, manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        case = Case(name, str(_one(g, entry, MF.name)))
        for gd in g.objects(entry, UT.graphData):
            file = Path(str(_one(g, gd, UT.graph)).removeprefix("file://"))
            case.data.append((file, str(_one(g, gd, RDFS.label))))
        action = _one(g, entry, MF.action)
        case.calls = [_call(g, r) for r in Collection(g, _one(g, action, HT.requests))]
        cases.append(case)
    return cases


CASES = load_cases()


def test_the_whole_suite_is_here() -> None:
    assert len(CASES) == 34


def _check(call: Call, response: httpx.Response) -> None:
    assert response.status_code // 100 in call.statuses, response.text
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if call.result_format in ("boolean", "tabular"):
        assert media in RESULT_TYPES, media
        if call.result_format == "boolean":
            assert media in ("application/sparql-results+json", "application/sparql-results+xml")
            parsed = ox.parse_query_results(response.content, RESULT_TYPES[media])
            assert isinstance(parsed, ox.QueryBoolean)
            if call.boolean is not None:
                assert bool(parsed) is call.boolean
    elif call.result_format == "RDF":
        assert media in RDF_TYPES, media


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.usefixtures("backend")
def test_w3c_protocol(case: Case, serve: Serve) -> None:
    store = fresh_store()
    for file, graph_iri in case.data:
        graph = ox.NamedNode(graph_iri)
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(path=str(file), format=ox.RdfFormat.N_TRIPLES)
        )
    base = serve(create_app(Settings(store="memory", write_token=TOKEN), store))
    for call in case.calls:
        headers = {**call.headers, "Authorization": f"Bearer {TOKEN}"}
        response = httpx.request(
            call.method, base + call.path, headers=headers, content=call.body, timeout=30
        )
        _check(call, response)
