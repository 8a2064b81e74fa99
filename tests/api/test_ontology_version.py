"""The ontology's version IRI (owl:versionIRI) resolves like /ontology: HTML and Turtle."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from api.main import create_app
from graph import model
from graph.settings import Settings

VERSION_IRI = "https://w3id.org/harmgraph/ontology/0.1.0"


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(Settings(store="memory")))


def test_the_version_iri_is_the_one_the_ontology_declares(client: TestClient) -> None:
    turtle = client.get("/ontology.ttl").text
    declared = Graph().parse(data=turtle, format="turtle")
    assert set(declared.objects(model.ONTOLOGY_IRI, OWL.versionIRI)) == {URIRef(VERSION_IRI)}


@pytest.mark.parametrize(
    ("path", "accept", "media"),
    [
        ("/ontology/0.1.0", "text/html", "text/html"),
        ("/ontology/0.1.0", "text/turtle", "text/turtle"),
        ("/ontology/0.1.0.ttl", "text/html", "text/turtle"),
    ],
)
def test_version_iri_answers_like_ontology(
    client: TestClient, path: str, accept: str, media: str
) -> None:
    answer = client.get(path, headers={"Accept": accept})
    same = client.get("/ontology", headers={"Accept": media})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    # The HTML differs only in the navigation's current-page mark.
    assert answer.text == same.text.replace(' aria-current="page"', "")


def test_turtle_of_version_parses_to_the_ontology(client: TestClient) -> None:
    g = Graph().parse(data=client.get("/ontology/0.1.0.ttl").text, format="turtle")
    assert (model.ONTOLOGY_IRI, OWL.versionIRI, URIRef(VERSION_IRI)) in g


@pytest.mark.parametrize("path", ["/ontology/0.0.9", "/ontology/0.1.0.json", "/ontology/x.ttl"])
def test_other_versions_are_not_found(client: TestClient, path: str) -> None:
    answer = client.get(path, headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "0.1.0" in answer.json()["detail"]
