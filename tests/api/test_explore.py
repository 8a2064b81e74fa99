"""The explorer routes: /search, /network, /path, entity pages, every view as data, escaping."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.drawing import EDGE_INCIDENTS, drawing
from api.main import create_app
from graph.network import Filters, View, allowed, cap
from graph.network_build import NetworkCache, build_network
from graph.settings import Settings
from graph.store import Store
from tests.api.explore_data import (
    ICE,
    MARKUP,
    XSS_ACTOR,
    XSS_INCIDENT,
    FormState,
    Links,
    explorer_store,
)
from tests.api.ld_store import INCIDENT, PALANTIR
from tests.backends import Shared

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def store() -> Iterator[Store]:
    with explorer_store() as fresh:
        yield fresh


@pytest.fixture
def client(backend: str, shared: Shared) -> TestClient:
    """One app over :func:`explorer_store` per backend for the module: its tests only read."""

    def build() -> TestClient:
        store = shared.cleanup.enter_context(explorer_store())
        return shared.cleanup.enter_context(TestClient(create_app(Settings(store="memory"), store)))

    return shared.get("client", build)


def _focus(client: TestClient, focus: str) -> list[str]:
    response = client.get("/network.json", params={"focus": focus})
    assert response.status_code == 200, response.text
    focus_iris: list[str] = response.json()["focus"]
    return focus_iris


def test_search_json_finds_ice_first_by_its_acronym(client: TestClient) -> None:
    body = client.get("/search.json", params={"q": "ICE", "limit": 5}).json()
    first = body["results"][0]
    assert first["iri"] == ICE
    assert first["label"] == "U.S. Immigration and Customs Enforcement"
    assert first["href"] == "/id/actor/us-immigration-and-customs-enforcement"
    assert len(body["results"]) <= 5


def test_search_json_refuses_a_limit_past_the_cap(client: TestClient) -> None:
    response = client.get("/search.json", params={"q": "ICE", "limit": 1000})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_search_page_groups_results_by_kind_with_links(client: TestClient) -> None:
    page = client.get("/search", params={"q": "palantir"}).text
    assert '<section class="results results-actor">' in page
    assert '<section class="results results-system">' in page
    assert 'href="/id/actor/palantir"' in page
    assert page.index("results-actor") < page.index("results-system")


@pytest.mark.parametrize(
    "text", ["palantir", "Palantir Technologies", "Palantir", PALANTIR, "hgid:actor/palantir"]
)
def test_focus_resolves_slug_name_alias_and_iri(client: TestClient, text: str) -> None:
    assert _focus(client, text) == [PALANTIR]


def test_unknown_focus_is_a_404_problem_with_suggestions(client: TestClient) -> None:
    response = client.get("/network.json", params={"focus": "Palantiir"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["name"] == "Palantiir"
    assert PALANTIR in [s["iri"] for s in problem["suggestions"]]


def test_unknown_focus_page_says_did_you_mean(client: TestClient) -> None:
    response = client.get("/network", params={"focus": "Palantiir"}, headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert "Did you mean" in response.text
    assert 'href="/id/actor/palantir"' in response.text


def test_unknown_path_end_is_a_404_naming_the_parameter(client: TestClient) -> None:
    response = client.get("/path.json", params={"from": "palantir", "to": "zzqqxx"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("to:")


@pytest.mark.parametrize("view", ["/network?focus=palantir", "/path?from=palantir&to=ice"])
def test_every_view_comes_in_every_format(client: TestClient, view: str) -> None:
    path, _, query = view.partition("?")
    json_view = client.get(f"{path}.json?{query}")
    assert json_view.headers["content-type"] == "application/json"
    assert json_view.headers["content-disposition"].startswith("inline")
    data = json_view.json()
    iris = {n["id"] for n in data["nodes"]}
    assert {PALANTIR, ICE} <= iris

    csv_view = client.get(f"{path}.csv?{query}")
    assert csv_view.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv_view.headers["content-disposition"].startswith("attachment; filename=")
    rows = list(csv.DictReader(io.StringIO(csv_view.text)))
    assert len(rows) == len(data["edges"])

    gexf = client.get(f"{path}.gexf?{query}")
    assert gexf.headers["content-type"] == "application/gexf+xml"
    assert set(nx.read_gexf(io.BytesIO(gexf.content))) == iris

    graphml = client.get(f"{path}.graphml?{query}")
    assert graphml.headers["content-type"] == "application/graphml+xml"
    assert set(nx.read_graphml(io.BytesIO(graphml.content))) == iris

    ttl = client.get(f"{path}.ttl?{query}")
    assert ttl.headers["content-type"] == "text/turtle; charset=utf-8"
    subjects = {str(s) for s in Graph().parse(data=ttl.text, format="turtle").subjects()}
    assert iris <= subjects

    assert client.get(f"{path}.xml?{query}").status_code == 404


def test_page_links_to_its_downloads(client: TestClient) -> None:
    page = client.get("/network", params={"focus": "palantir", "hops": 2}).text
    for fmt in ("json", "csv", "gexf", "graphml", "ttl"):
        assert f'href="/network.{fmt}?focus=palantir&amp;hops=2"' in page


def test_filters_change_the_view(client: TestClient) -> None:
    def incidents(**params: str) -> set[str]:
        data = client.get("/network.json", params={"focus": "ice", **params}).json()
        return {n["id"] for n in data["nodes"] if n["kind"] == "incident"}

    assert incidents() == {INCIDENT, XSS_INCIDENT}
    assert incidents(status="confirmed") == {INCIDENT}
    assert incidents(status="alleged") == {XSS_INCIDENT}
    assert incidents(severity="high,medium") == {INCIDENT, XSS_INCIDENT}
    assert incidents(severity="medium") == {XSS_INCIDENT}
    assert incidents(**{"from": "2027"}) == set()
    assert incidents(dataset="curated") == {INCIDENT, XSS_INCIDENT}
    kinds = {
        n["kind"]
        for n in client.get("/network.json", params={"focus": "ice", "type": "actor"}).json()[
            "nodes"
        ]
    }
    assert kinds == {"actor", "incident"}


def test_actor_mode_draws_shared_incidents_as_weighted_edges(client: TestClient) -> None:
    data = client.get("/network.json", params={"focus": "ice", "mode": "actors"}).json()
    assert {n["kind"] for n in data["nodes"]} == {"actor"}
    edge = next(e for e in data["edges"] if {e["source"], e["target"]} == {ICE, PALANTIR})
    assert edge["weight"] == 1
    assert edge["incidents"] == [INCIDENT]


def test_a_capped_view_says_so(client: TestClient) -> None:
    data = client.get("/network.json", params={"focus": "ice", "max": 3}).json()
    assert data["capped"] is True
    assert len(data["nodes"]) <= 3
    page = client.get("/network", params={"focus": "ice", "max": 3}).text
    assert "Capped to keep it readable" in page
    assert f"of {data['total_nodes']} nodes" in page


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/network.json?focus=ice&max=301", "max_view_nodes"),
        ("/network?focus=ice&hops=4", "hops"),
        ("/path.json?from=palantir&to=ice&hops=5", "max_path_hops"),
    ],
)
def test_requests_past_a_limit_are_problems_naming_it(
    client: TestClient, url: str, limit: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["limit"] == limit


def test_limits_are_settings(store: Store) -> None:
    settings = Settings(store="memory", max_view_nodes=4, max_path_hops=1)
    with TestClient(create_app(settings, store)) as c:
        assert c.get("/network.json?focus=ice&max=5").json()["maximum"] == 4
        assert c.get("/network.json?focus=ice").json()["capped"] is True
        assert c.get("/path.json?from=palantir&to=ice&hops=2").status_code == 400
        assert c.get("/path.json?from=palantir&to=ice").status_code == 200


def test_path_sentences_carry_incident_status_and_sources(client: TestClient) -> None:
    page = client.get("/path", params={"from": "palantir", "to": "ice"}).text
    sentences = re.findall(r'<p class="sentence">(.*?)</p>', page)
    assert any("deployed by U.S. Immigration and Customs Enforcement" in s for s in sentences)
    assert any("INC-26-0068" in s for s in sentences)
    assert 'href="/id/incident/inc-26-0068" class="incident-link">INC-26-0068</a>' in page
    assert 'class="status status-confirmed">confirmed</span>' in page
    assert 'href="https://rollingstone.com"' in page
    data = client.get("/path.json", params={"from": "palantir", "to": "ice"}).json()
    hop = data["paths"][0]["hops"][0]
    assert hop["identifier"] == "INC-26-0068"
    assert hop["status"] == "confirmed"
    assert any(s["url"] == "https://rollingstone.com" for s in hop["sources"])


def test_alleged_hops_are_marked_alleged(client: TestClient) -> None:
    page = client.get("/path", params={"from": XSS_ACTOR, "to": "ice"}).text
    assert "XSS-TEST-1" in page
    assert 'class="status status-alleged">ALLEGED</span>' in page
    assert "includes alleged or unconfirmed links" in page


def test_no_path_is_said_plainly(client: TestClient) -> None:
    page = client.get("/path", params={"from": "palantir", "to": "ice", "hops": 1}).text
    assert "INC-26-0068" in page  # hops=1 still reaches ICE through the incident
    data = client.get("/path.json", params={"from": "palantir", "to": "ice", "status": "disputed"})
    assert data.json()["paths"] == []
    page = client.get("/path", params={"from": "palantir", "to": "ice", "status": "disputed"}).text
    assert "No connection within 4 steps" in page


@pytest.mark.parametrize(
    "query",
    [
        {"focus": "ice", "hops": "2", "status": "confirmed", "size": "betweenness", "from": "2020"},
        {"focus": "palantir", "mode": "actors", "colour": "community", "max": "50"},
        {"focus": "ice", "type": "actor,group", "unknown": "1", "region": "US"},
    ],
)
def test_the_page_reproduces_its_state(client: TestClient, query: dict[str, str]) -> None:
    page = client.get("/network", params=query).text
    share = re.search(r'<a href="([^"]+)" class="share-link">', page)
    assert share is not None
    shared = urlsplit(share.group(1).replace("&amp;", "&"))
    original = client.get("/network.json", params=query).json()
    assert client.get(f"/network.json?{shared.query}").json() == original
    form = FormState()
    form.feed(page)
    resubmitted = client.get("/network.json?" + urlencode(form.pairs)).json()
    assert resubmitted == original
    assert dict(parse_qsl(shared.query))["focus"] == query["focus"]


def test_path_form_reproduces_its_state(client: TestClient) -> None:
    query = {"from": "palantir", "to": "ice", "hops": "3", "limit": "3", "status": "confirmed"}
    page = client.get("/path", params=query).text
    form = FormState()
    form.feed(page)
    assert client.get("/path.json?" + urlencode(form.pairs)).json() == (
        client.get("/path.json", params=query).json()
    )


def test_entity_page_groups_incidents_by_role_and_partners(client: TestClient) -> None:
    page = client.get("/id/actor/palantir", headers={"Accept": BROWSER}).text
    assert "Incidents by role" in page
    developed = page.index("<h3>Developed")
    assert page.index('href="/id/incident/inc-26-0068"', developed) > developed
    assert "Appears most often with" in page
    partners = page[page.index("Appears most often with") :]
    assert "U.S. Immigration and Customs Enforcement" in partners
    assert (
        'href="/network?focus=https%3A%2F%2Fw3id.org%2Fharmgraph%2Fid%2Factor%2Fpalantir"' in page
    )
    assert '<form class="path-form" method="get" action="/path">' in page


def test_incident_page_lists_its_parties_timeline_outcomes_sources(client: TestClient) -> None:
    page = client.get("/id/incident/inc-26-0068", headers={"Accept": BROWSER}).text
    for text in (
        "Palantir Technologies",
        "U.S. Immigration and Customs Enforcement",
        "Palantir ImmigrationOS",
        "<h2>Timeline</h2>",
        "<h2>Outcomes</h2>",
        "<h2>Sources</h2>",
        "Show network",
    ):
        assert text in page


def test_the_network_cache_lives_on_the_app_and_follows_the_store(store: Store) -> None:
    app = create_app(Settings(store="memory"), store)
    assert isinstance(app.state.networks, NetworkCache)
    with TestClient(app) as c:
        before = c.get("/network.json", params={"focus": "ice"}).json()
        assert c.get("/network.json", params={"focus": "ice"}).json() == before
        network = app.state.networks.get(store)
        store.update("DROP GRAPH <https://w3id.org/harmgraph/graph/curated>")  # any backend
        assert app.state.networks.get(store) is not network


XSS_PAGES = [
    "/search?q=markup",
    "/search?q=XSS-TEST-1",
    "/id/actor/xss-markup-actor",
    "/id/incident/xss-test-1",
    "/network?focus=xss-markup-actor",
    "/network?focus=xss-markup-actor&mode=actors",
    f"/path?from={XSS_ACTOR}&to=palantir",
    "/network?focus=%3Cscript%3Ealert(1)%3C/script%3E",
]


@pytest.mark.parametrize("url", XSS_PAGES)
def test_markup_from_data_is_escaped_everywhere(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for markup in MARKUP:
        assert markup not in page, f"{markup!r} rendered as markup on {url}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "\\u003cscript\\u003e" in page


PAGES = [
    "/",
    "/search?q=ice",
    "/id/actor/palantir",
    "/id/incident/inc-26-0068",
    "/network?focus=palantir",
    "/network?focus=ice&mode=actors",
    "/path?from=palantir&to=ice",
    "/path",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_elsewhere(client: TestClient, url: str) -> None:
    links = Links()
    links.feed(client.get(url, headers={"Accept": BROWSER}).text)
    assert links.found
    for tag, attr, value, in_main in links.found:
        external = bool(urlsplit(value).scheme or value.startswith("//"))
        if tag == "a" and in_main and value.startswith(("https://", "http://")):
            continue  # a source link in the content, followed only when a reader clicks it
        assert not external, f"<{tag} {attr}={value!r}> on {url} points outside this server"


def test_vis_network_is_served_from_the_pyvis_package(client: TestClient) -> None:
    response = client.get("/static/vendor/vis/vis-network.min.js")
    assert response.status_code == 200
    assert b"vis-network" in response.content[:200]
    assert client.get("/static/vendor/vis/vis-network.css").status_code == 200


def test_drawing_data_island_matches_the_view(client: TestClient) -> None:
    page = client.get("/network", params={"focus": "ice"}).text
    island = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S
    )
    assert island is not None
    drawing = json.loads(island.group(1))
    data = client.get("/network.json", params={"focus": "ice"}).json()
    assert {n["id"] for n in drawing["nodes"]} == {n["id"] for n in data["nodes"]}
    assert all("x" in n and "y" in n for n in drawing["nodes"])
    alleged = [e for e in drawing["edges"] if XSS_INCIDENT in e["incidents"]]
    assert alleged and all(e["dashes"] for e in alleged)
    assert '<script src="/static/vendor/vis/vis-network.min.js" defer></script>' in page
    assert "Appearing in this graph does not imply wrongdoing" in page


def test_nav_links_to_the_explorer_and_carries_the_search_box(client: TestClient) -> None:
    page = client.get("/", headers={"Accept": BROWSER}).text
    for target in ("/search", "/network", "/path"):
        assert f'<a href="{target}"' in page
    assert 'id="site-search"' in page
    assert '<script src="/static/search.js" defer></script>' in page


@pytest.mark.parametrize("max_nodes", ["300", "4"])
def test_the_unfocused_view_is_the_filtered_network_capped(
    client: TestClient, store: Store, max_nodes: str
) -> None:
    g = build_network(store).graph
    shown = nx.subgraph_view(g, filter_node=allowed(g, Filters()).__contains__)
    want = cap(g, [n for n in shown if shown.degree(n) > 0], [], int(max_nodes))
    data = client.get("/network.json", params={"max": max_nodes}).json()
    assert {n["id"] for n in data["nodes"]} == set(want.graph)
    assert {frozenset((e["source"], e["target"])) for e in data["edges"]} == {
        frozenset(e) for e in want.graph.edges
    }
    assert (data["capped"], data["total_nodes"]) == (want.capped, want.total_nodes)


def test_an_edge_lists_its_newest_incidents_and_counts_them_all() -> None:
    network = nx.Graph()
    shared = [f"https://e.org/incident/{k}" for k in range(EDGE_INCIDENTS + 3)]
    for k, iri in enumerate(shared):
        network.add_node(iri, kind="incident", date=f"20{10 + k}-01-01", label=f"I{k}")
    network.add_node("a", kind="actor", label="A")
    network.add_node("b", kind="actor", label="B")
    view_graph = nx.Graph()
    view_graph.add_nodes_from(network.subgraph(["a", "b"]).nodes(data=True))
    view_graph.add_edge("a", "b", kind="co-incident", incidents=tuple(shared), weight=len(shared))
    data = drawing(View(view_graph, focus=("a",)), network, lambda iri: "/x")
    (edge,) = data["edges"]
    assert edge["incidentCount"] == len(shared)
    assert edge["incidents"] == shared[::-1][:EDGE_INCIDENTS]
    assert set(data["incidents"]) == set(edge["incidents"])


def test_the_page_describes_only_the_incidents_its_edges_list(client: TestClient) -> None:
    page = client.get("/network", params={"focus": "ice", "mode": "actors"}).text
    island = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S
    )
    assert island is not None
    drawing = json.loads(island.group(1))
    full = client.get("/network.json", params={"focus": "ice", "mode": "actors"}).json()
    counts = {frozenset((e["source"], e["target"])): len(e["incidents"]) for e in full["edges"]}
    listed = set()
    for e in drawing["edges"]:
        assert e["incidentCount"] == counts[frozenset((e["from"], e["to"]))]
        assert len(e["incidents"]) <= min(e["incidentCount"], EDGE_INCIDENTS)
        listed.update(e["incidents"])
    assert set(drawing["incidents"]) == listed
