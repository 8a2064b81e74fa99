"""Tests of api/routes/void.py and graph/void.py: the VoID/DCAT description."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from graph import model
from graph.void import CC_BY, CC_BY_SA, DUMPS
from tests.api.stores import SYNTHETIC, app_for, curated_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

DATASET = URIRef("https://w3id.org/harmgraph/.well-known/void#dataset")


def _void(client: TestClient, accept: str = "text/turtle", fmt: str = "turtle") -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    return Graph().parse(data=response.content, format=fmt)


def test_void_counts_the_store_and_names_endpoint_and_dumps() -> None:
    store = curated_store()
    g = _void(TestClient(app_for(store)))
    assert g.value(DATASET, VOID.triples) == Literal(store.count())
    assert g.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    dumps = set(g.objects(DATASET, VOID.dataDump))
    assert dumps == {URIRef(f"http://testserver/dump.{ext}") for ext in DUMPS}
    media = {
        str(m) for d in g.objects(DATASET, DCAT.distribution) for m in g.objects(d, DCAT.mediaType)
    }
    assert "https://www.iana.org/assignments/media-types/text/turtle" in media
    assert g.value(DATASET, DCTERMS.license) == CC_BY
    assert g.value(DATASET, DCTERMS.modified) is not None
    assert URIRef(str(model.HG)) in set(g.objects(DATASET, VOID.vocabulary))


def test_subsets_count_each_named_graph() -> None:
    store = curated_store()
    g = _void(TestClient(app_for(store)))
    subsets = set(g.objects(DATASET, VOID.subset))
    assert subsets == set(store.graphs())
    for graph in subsets:
        assert g.value(graph, VOID.triples) == Literal(store.count(str(graph)))
    curated = model.named_graph("curated")
    assert g.value(curated, DCTERMS.modified) is not None


def test_aiid_data_makes_the_licence_cc_by_sa_and_names_the_source() -> None:
    store = curated_store()
    aiid = ox.NamedNode(str(model.named_graph("aiid")))
    data = ox.parse(SYNTHETIC.read_bytes(), ox.RdfFormat.TURTLE)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, aiid) for q in data)
    g = _void(TestClient(app_for(store)))
    assert g.value(DATASET, DCTERMS.license) == CC_BY_SA
    assert URIRef("https://incidentdatabase.ai/") in set(g.objects(DATASET, DCTERMS.source))
    assert g.value(model.named_graph("aiid"), DCTERMS.license) == CC_BY_SA
    assert g.value(model.named_graph("curated"), DCTERMS.license) == CC_BY


@pytest.mark.parametrize(
    ("accept", "fmt"), [("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_void_in_other_formats_by_accept(accept: str, fmt: str) -> None:
    store = curated_store()
    client = TestClient(app_for(store))
    g = _void(client, accept, fmt)
    assert g.value(DATASET, VOID.triples) == Literal(store.count())
    if fmt == "json-ld":
        json.loads(client.get("/.well-known/void", headers={"Accept": accept}).text)


def test_void_refuses_an_unacceptable_type_and_answers_304() -> None:
    client = TestClient(app_for(curated_store()))
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
    tag = client.get("/.well-known/void").headers["etag"]
    assert client.get("/.well-known/void", headers={"If-None-Match": tag}).status_code == 304
