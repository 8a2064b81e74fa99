"""Tests of api/routes/incidents.py: POST/DELETE /incidents, validated, atomic, protected."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph import model
from graph.store import Store
from tests.api.conftest import Serve
from tests.api.stores import SYNTHETIC, TOKEN, app_for, curated_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

IRI = "https://w3id.org/harmgraph/id/incident/syn-api-1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {**AUTH, "Content-Type": "text/turtle"}


def _client(store: Store, token: str = TOKEN) -> TestClient:
    return TestClient(app_for(store, token))


def _body() -> bytes:
    return SYNTHETIC.read_bytes()


def test_post_turtle_writes_the_incident_and_answers_201() -> None:
    store = curated_store()
    response = _client(store).post("/incidents", content=_body(), headers=TURTLE)
    assert response.status_code == 201
    assert response.headers["location"] == IRI
    assert response.headers["etag"].startswith('W/"')
    body = response.json()
    assert body["incidents"] == [IRI]
    assert (body["added"], body["updated"]) == (1, 0)
    assert body["graph"] == str(model.named_graph("api"))
    assert body["triples"] == store.count(str(model.named_graph("api"))) == 22
    assert body["replaced"] == []


def test_post_again_updates_and_says_what_it_replaced() -> None:
    store = curated_store()
    client = _client(store)
    first = client.post("/incidents", content=_body(), headers=TURTLE)
    count = store.count()
    again = client.post("/incidents", content=_body(), headers=TURTLE)
    assert again.status_code == 201
    assert (again.json()["added"], again.json()["updated"]) == (0, 1)
    assert again.json()["replaced"] == [{"incident": IRI, "etag": first.headers["etag"]}]
    assert store.count(str(model.named_graph("api"))) == 22  # replaced, not duplicated
    assert store.count() > count  # the second import's provenance was recorded


def test_post_json_ld_into_a_named_graph() -> None:
    jsonld = Graph().parse(SYNTHETIC).serialize(format="json-ld").encode()
    store = curated_store()
    response = _client(store).post(
        "/incidents?graph=partner",
        content=jsonld,
        headers={**AUTH, "Content-Type": "application/ld+json"},
    )
    assert response.status_code == 201, response.text
    assert store.count(str(model.named_graph("partner"))) == 22


def test_if_match_with_a_stale_tag_is_a_409_and_writes_nothing() -> None:
    store = curated_store()
    client = _client(store)
    tag = client.post("/incidents", content=_body(), headers=TURTLE).headers["etag"]
    changed = _body().replace(b"Made-up incident", b"Changed made-up incident")
    assert (
        client.post("/incidents", content=changed, headers={**TURTLE, "If-Match": tag}).status_code
        == 201
    )
    count = store.count()
    stale = client.post("/incidents", content=_body(), headers={**TURTLE, "If-Match": tag})
    assert stale.status_code == 409
    assert store.count() == count
    create_only = client.post(
        "/incidents", content=_body(), headers={**TURTLE, "If-None-Match": "*"}
    )
    assert create_only.status_code == 409
    assert store.count() == count


def test_shape_violation_is_a_422_with_the_report_and_writes_nothing() -> None:
    store = curated_store()
    count = store.count()
    broken = b"\n".join(line for line in _body().splitlines() if b"hg:developer" not in line)
    response = _client(store).post("/incidents", content=broken, headers=TURTLE)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    report = response.json()["report"]
    assert report["conforms"] is False
    paths = {r["path"] for r in report["results"] if r["severity"] == "Violation"}
    assert str(model.HG.developer) in paths
    assert store.count() == count


def test_shape_violation_report_as_turtle_when_asked() -> None:
    broken = b"\n".join(line for line in _body().splitlines() if b"hg:developer" not in line)
    response = _client(curated_store()).post(
        "/incidents", content=broken, headers={**TURTLE, "Accept": "text/turtle"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/turtle")
    report = Graph().parse(data=response.text, format="turtle")
    assert (None, model.SH.resultPath, model.HG.developer) in report


def test_malformed_rdf_is_a_400_with_line_and_column_and_writes_nothing() -> None:
    store = curated_store()
    count = store.count()
    bad = _body().replace(b'"SYN-API-1" ;', b'"SYN-API-1"  ', 1)
    response = _client(store).post("/incidents", content=bad, headers=TURTLE)
    assert response.status_code == 400
    problem = response.json()
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if b'"SYN-API-1"' in text)
    assert problem["line"] in (line, line + 1)
    assert isinstance(problem["column"], int)
    assert store.count() == count


def test_too_large_by_content_length_or_by_counting_is_a_413() -> None:
    store = curated_store()
    count = store.count()
    app = app_for(store)
    app.state.settings = app.state.settings.model_copy(update={"max_upload_bytes": 100})
    client = TestClient(app)
    assert client.post("/incidents", content=_body(), headers=TURTLE).status_code == 413

    def chunked() -> object:
        yield _body()[:80]
        yield _body()[80:200]

    response = client.post("/incidents", content=chunked(), headers=TURTLE)  # type: ignore[arg-type]
    assert response.status_code == 413
    assert response.json()["limit"] == 100
    assert store.count() == count


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/xml"},
        {"Content-Type": "text/plain"},
        {},
        {"Content-Type": "text/turtle", "Content-Encoding": "gzip"},
    ],
)
def test_unsupported_content_type_or_encoding_is_a_415(headers: dict[str, str]) -> None:
    store = curated_store()
    count = store.count()
    response = _client(store).post("/incidents", content=_body(), headers={**AUTH, **headers})
    assert response.status_code == 415
    assert store.count() == count


@pytest.mark.parametrize(
    ("token", "authorization", "status"),
    [
        ("", f"Bearer {TOKEN}", 403),
        (TOKEN, None, 401),
        (TOKEN, "Bearer wrong", 401),
        (TOKEN, TOKEN, 401),
    ],
)
def test_writes_need_the_token(token: str, authorization: str | None, status: int) -> None:
    store = curated_store()
    count = store.count()
    client = _client(store, token)
    headers = {"Content-Type": "text/turtle"}
    if authorization:
        headers["Authorization"] = authorization
    post = client.post("/incidents", content=_body(), headers=headers)
    delete = client.delete("/incidents/inc-26-0068", headers=headers)
    assert (post.status_code, delete.status_code) == (status, status)
    if status == 401:
        assert post.headers["www-authenticate"].startswith("Bearer")
    assert store.count() == count


def test_delete_removes_the_incident_and_then_404() -> None:
    store = curated_store()
    client = _client(store)
    client.post("/incidents", content=_body(), headers=TURTLE)
    assert client.delete("/incidents/syn-api-1", headers=AUTH).status_code == 204
    assert not list(store.quads(model.mint("incident", "syn-api-1")))
    assert client.delete("/incidents/syn-api-1", headers=AUTH).status_code == 404
    assert client.delete("/incidents/SYN-API-1", headers=AUTH).status_code == 404


def test_delete_on_the_incident_iri_path_with_if_match() -> None:
    store = curated_store()
    client = _client(store)
    tag = client.post("/incidents", content=_body(), headers=TURTLE).headers["etag"]
    stale = client.delete("/id/incident/syn-api-1", headers={**AUTH, "If-Match": 'W/"old"'})
    assert stale.status_code == 409
    assert list(store.quads(model.mint("incident", "syn-api-1")))
    ok = client.delete("/id/incident/syn-api-1", headers={**AUTH, "If-Match": tag})
    assert ok.status_code == 204


def test_post_then_dump_over_uvicorn(serve: Serve) -> None:
    store = curated_store()
    base = serve(app_for(store))
    tag = httpx.get(f"{base}/dump.nt").headers["etag"]
    created = httpx.post(f"{base}/incidents", content=_body(), headers=TURTLE)
    assert created.status_code == 201
    after = httpx.get(f"{base}/dump.nt", headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert IRI.encode() in after.content
