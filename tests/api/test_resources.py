"""Linked data: resource IRIs dereference with content negotiation (api/routes/resources.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from api.main import create_app
from graph.settings import Settings
from graph.store import Store
from tests.api.conftest import Serve
from tests.api.explore_data import explorer_store
from tests.api.ld_store import INCIDENT, PALANTIR, loaded_store
from tests.backends import Shared

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

HG = "https://w3id.org/harmgraph/ontology#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
XSS = "Leak <script>alert(1)</script> and <img src=x onerror=alert(1)>"


@pytest.fixture
def store() -> Iterator[Store]:
    with loaded_store() as fresh:
        yield fresh


@pytest.fixture
def client(backend: str, shared: Shared) -> TestClient:
    """One app over :func:`loaded_store` per backend for the module: its tests only read."""

    def build() -> TestClient:
        store = shared.cleanup.enter_context(loaded_store())
        return shared.cleanup.enter_context(TestClient(create_app(Settings(store="memory"), store)))

    return shared.get("client", build)


@pytest.mark.parametrize(
    ("path", "accept", "status", "media"),
    [
        ("/id/incident/inc-26-0068", BROWSER, 200, "text/html"),
        ("/id/incident/inc-26-0068", None, 200, "text/html"),
        ("/id/incident/inc-26-0068", "text/turtle", 200, "text/turtle"),
        ("/id/incident/inc-26-0068", "application/ld+json", 200, "application/ld+json"),
        ("/id/incident/inc-26-0068", "application/n-triples", 200, "application/n-triples"),
        ("/id/incident/inc-26-0068", "application/json", 200, "application/json"),
        ("/id/incident/inc-26-0068", "text/turtle;q=0.5, text/html;q=0.9", 200, "text/html"),
        ("/id/incident/inc-26-0068", "image/png", 406, "application/problem+json"),
        ("/id/incident/inc-26-0068.ttl", BROWSER, 200, "text/turtle"),
        ("/id/incident/inc-26-0068/event/1", "text/turtle", 200, "text/turtle"),
        ("/id/actor/palantir", BROWSER, 200, "text/html"),
        ("/id/actor/palantir.nt", None, 200, "application/n-triples"),
        ("/id/actor/palantir.jsonld", None, 200, "application/ld+json"),
        ("/id/actor/palantir.json", BROWSER, 200, "application/json"),
        ("/vocab/severity/high", BROWSER, 200, "text/html"),
        ("/vocab/severity/high", "text/turtle", 200, "text/turtle"),
        ("/vocab/severity", BROWSER, 200, "text/html"),
        ("/vocab/severity.ttl", None, 200, "text/turtle"),
        ("/ontology", BROWSER, 200, "text/html"),
        ("/ontology", "text/turtle", 200, "text/turtle"),
        ("/ontology.ttl", BROWSER, 200, "text/turtle"),
        ("/shapes", BROWSER, 200, "text/html"),
        ("/shapes", "text/turtle", 200, "text/turtle"),
        ("/shapes.ttl", None, 200, "text/turtle"),
        ("/id/actor/no-such-actor", BROWSER, 404, "text/html"),
        ("/id/actor/no-such-actor", "text/turtle", 404, "application/problem+json"),
        ("/id/actor/no-such-actor.ttl", None, 404, "application/problem+json"),
        ("/vocab/severity/enormous", "application/json", 404, "application/problem+json"),
        # not IRIs once decoded: a 404, not a 500 (regression)
        ("/id/actor/a%3E%20%3Fp%20%3Fo", "application/json", 404, "application/problem+json"),
        ("/id/actor/a%20b.ttl", None, 404, "application/problem+json"),
    ],
)
def test_content_negotiation(
    client: TestClient, path: str, accept: str | None, status: int, media: str
) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    assert response.headers["content-type"].split(";")[0] == media


def test_turtle_description_has_the_incident_its_parts_and_neighbour_labels(
    client: TestClient,
) -> None:
    graph = Graph().parse(data=client.get("/id/incident/inc-26-0068.ttl").text, format="turtle")
    incident = URIRef(INCIDENT)
    assert graph.value(incident, DCTERMS.identifier) == Literal("INC-26-0068")
    assert (incident, URIRef(HG + "developer"), URIRef(PALANTIR)) in graph
    assert graph.value(URIRef(PALANTIR), RDFS.label) == Literal("Palantir Technologies", lang="en")
    event = URIRef(INCIDENT + "/event/1")
    assert graph.value(event, DCTERMS.description) is not None
    assert graph.value(URIRef(INCIDENT + "/unknown/recruitment-tool-developer"), RDFS.label)
    # CBD-like, not a crawl: DHS is linked from ICE, not from the incident.
    dhs = URIRef("https://w3id.org/harmgraph/id/actor/us-department-of-homeland-security")
    assert (dhs, None, None) not in graph


def test_jsonld_and_ntriples_describe_the_same_graph(client: TestClient) -> None:
    turtle = Graph().parse(data=client.get("/id/actor/palantir.ttl").text, format="turtle")
    jsonld = Graph().parse(data=client.get("/id/actor/palantir.jsonld").text, format="json-ld")
    ntriples = Graph().parse(data=client.get("/id/actor/palantir.nt").text, format="nt")
    assert len(turtle) > 5
    assert set(turtle) == set(jsonld) == set(ntriples)


def test_json_view_lists_properties_and_incoming_links(client: TestClient) -> None:
    view = client.get("/id/actor/palantir.json").json()
    assert view["iri"] == PALANTIR
    assert view["label"] == "Palantir Technologies"
    assert view["types"] == [HG + "Actor"]
    assert view["properties"]["skos:altLabel"] == ["Palantir"]
    developer = view["incoming"]["hg:developer"]
    assert developer["count"] == 2
    assert {r["iri"] for r in developer["resources"]} == {
        INCIDENT,
        "https://w3id.org/harmgraph/id/system/palantir-immigrationos",
    }


def test_actor_page_groups_incoming_links_by_role(client: TestClient) -> None:
    page = client.get("/id/actor/us-immigration-and-customs-enforcement").text
    assert "deployer" in page
    assert '<a href="/id/incident/inc-26-0068">Palantir ImmigrationOS' in page
    assert "High" in page  # the incident's severity
    assert '<a href="/id/actor/us-department-of-homeland-security">' in page
    assert "ICE, US Immigration and Customs Enforcement" in page  # aliases


def test_incident_page_shows_sources_timeline_and_citation(client: TestClient) -> None:
    page = client.get("/id/incident/inc-26-0068").text
    assert 'href="https://aclu.org"' in page
    assert "ICE pays Palantir $30 million for ImmigrationOS deployment" in page
    assert "@misc{harmgraph-inc-26-0068," in page
    assert "howpublished = {\\url{https://w3id.org/harmgraph/id/incident/inc-26-0068}}" in page
    assert "ICE Pays \\$30M" in page
    assert "derived from ACLU, American Immigration Council, Rolling Stone" in page


def test_concept_scheme_page_lists_its_concepts(client: TestClient) -> None:
    page = client.get("/vocab/severity").text
    for concept in ("critical", "high", "medium", "low", "unassessed"):
        assert f'href="/vocab/severity/{concept}"' in page


def test_markup_in_data_is_escaped() -> None:
    with (
        loaded_store(title=XSS) as store,
        TestClient(create_app(Settings(store="memory"), store)) as client,
    ):
        pages = [client.get(p).text for p in ("/id/incident/inc-26-0068", "/id/actor/palantir")]
    for page in pages:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<script>alert" not in page
        assert "<img src=x" not in page


def test_configured_base_iri_resolves_as_well_as_the_data_base(store: Store) -> None:
    store.update(
        "INSERT DATA { GRAPH <http://example.org/g> { <http://localhost:8000/id/actor/local> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "Local" } }'
    )
    app = create_app(Settings(store="memory", base_iri="http://localhost:8000/"), store)
    with TestClient(app) as client:
        assert client.get("/id/actor/local.json").json()["label"] == "Local"
        assert client.get("/id/actor/palantir.json").json()["iri"] == PALANTIR


def test_resource_over_uvicorn(serve: Serve, store: Store) -> None:
    base = serve(create_app(Settings(store="memory"), store))
    response = httpx.get(base + "/id/actor/palantir", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept"
    assert '</id/actor/palantir.ttl>; rel="alternate"' in response.headers["link"]
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(PALANTIR), RDFS.label, Literal("Palantir Technologies", lang="en")) in graph
    problem = httpx.get(base + "/id/actor/nobody", headers={"Accept": "application/json"})
    assert problem.status_code == 404
    assert json.loads(problem.text)["status"] == 404


ICE_PATH = "/id/actor/us-immigration-and-customs-enforcement"


@pytest.fixture
def paged() -> Iterator[TestClient]:
    """The explorer's data (ICE deployed two incidents) with pages of one item."""
    settings = Settings(store="memory", entity_role_page=1, entity_links_page=1)
    with explorer_store() as fresh, TestClient(create_app(settings, fresh)) as c:
        yield c


def _role_rows(page: str, role: str) -> list[str]:
    table = re.search(rf'<table class="role-incidents role-{role}">(.*?)</table>', page, re.S)
    assert table is not None
    return re.findall(r'<tr><td><a href="([^"]+)">', table.group(1))


def test_entity_pages_list_one_page_of_each_role_with_its_full_count(paged: TestClient) -> None:
    first = paged.get(ICE_PATH).text
    assert '<div class="role-list" id="role-deployer">' in first
    assert '<h3>Deployed <span class="count">(2)</span></h3>' in first
    assert "Showing 1–1 of 2 incidents, newest first." in first
    older = f'{ICE_PATH}?role=deployer&amp;page=2#role-deployer"'
    assert (
        f'rel="next" href="{older}' in first and 'rel="prev"' not in first.split("role-deployer")[2]
    )
    second = paged.get(ICE_PATH, params={"role": "deployer", "page": "2"}).text
    assert "Showing 2–2 of 2 incidents, newest first." in second
    assert f'rel="prev" href="{ICE_PATH}?role=deployer&amp;page=1#role-deployer"' in second
    shown = _role_rows(first, "deployer") + _role_rows(second, "deployer")
    assert len(shown) == 2 and set(shown) == {
        "/id/incident/inc-26-0068",
        "/id/incident/xss-test-1",
    }


def test_a_page_past_the_end_is_the_last_page(paged: TestClient) -> None:
    page = paged.get(ICE_PATH, params={"role": "deployer", "page": "99"}).text
    assert "Showing 2–2 of 2 incidents" in page
    assert paged.get(ICE_PATH, params={"page": "nonsense"}).status_code == 200


def test_incoming_links_are_paged_and_counted(paged: TestClient) -> None:
    developer = HG + "developer"
    pages = [
        paged.get("/id/actor/palantir.json", params={"linked": developer, "page": n}).json()
        for n in ("1", "2")
    ]
    assert [p["incoming"]["hg:developer"]["count"] for p in pages] == [2, 2]
    listed = [r["iri"] for p in pages for r in p["incoming"]["hg:developer"]["resources"]]
    assert listed == [INCIDENT, "https://w3id.org/harmgraph/id/system/palantir-immigrationos"]
    html = paged.get("/id/actor/palantir").text
    assert "Showing 1–1 of 2 links, newest first." in html
    assert (
        'href="/id/actor/palantir?linked=https%3A%2F%2Fw3id.org%2Fharmgraph%2Fontology%23developer&amp;page=2#linked-hg:developer"'
        in html
    )


def test_entity_lists_are_limited_by_default() -> None:
    assert (Settings().entity_role_page, Settings().entity_links_page) == (50, 20)
