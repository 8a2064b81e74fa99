"""The home page: counts, last update, licence, links (api/routes/home.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.settings import Settings
from graph.store import Store
from tests.api.ld_store import loaded_store
from tests.backends import fresh_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def store() -> Iterator[Store]:
    with loaded_store() as fresh:
        yield fresh


def _client(store: Store) -> TestClient:
    return TestClient(create_app(Settings(store="memory"), store))


def test_home_json_counts_what_the_graph_holds(store: Store) -> None:
    with _client(store) as client:
        home = client.get("/", headers={"Accept": "application/json"}).json()
        assert client.get("/.json").json()["counts"] == home["counts"]
    assert home["counts"] == {
        "incidents": 1,
        "actors": 3,
        "systems": 2,
        "groups": 5,  # with "Job applicants", broader than "ICE job applicants"
        "sources": 3,
        "triples": store.count(),
    }
    assert home["incidents_per_dataset"] == {"hgv:dataset/topaithreats": 1}
    assert home["modified"].startswith("20")  # the import recorded in the meta graph
    assert home["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "/sparql" in home["links"]


def test_licence_is_cc_by_sa_once_aiid_data_is_in(store: Store) -> None:
    store.update(
        "INSERT DATA { GRAPH <https://w3id.org/harmgraph/graph/aiid> "
        "{ <http://example.org/a> <http://example.org/p> 1 } }"
    )
    with _client(store) as client:
        assert client.get("/index.json").json()["licence"].endswith("/by-sa/4.0/")
        assert "CC BY-SA 4.0" in client.get("/", headers={"Accept": BROWSER}).text


def test_home_html_links_to_everything(store: Store) -> None:
    with _client(store) as client:
        page = client.get("/", headers={"Accept": BROWSER}).text
    assert "<strong>1</strong> incidents" in page
    for path in ("/sparql", "/ontology", "/shapes", "/dump.ttl", "/.well-known/void", "/docs"):
        assert f'href="{path}"' in page
    assert "CC BY 4.0" in page


def test_empty_store_has_a_home_page() -> None:
    with fresh_store() as empty, _client(empty) as client:
        home = client.get("/index.json").json()
    assert home["counts"]["incidents"] == 0
    assert home["modified"] is None
