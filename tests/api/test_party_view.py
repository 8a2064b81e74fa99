"""Roles outside an incident on the explorer pages: entity pages, drawings and the path finder.

Uses tests/data/network/oversight-reporting.ttl: the Italian Data Protection Authority
acted on two unrelated incidents (Clearview AI, OpenAI) and ProPublica reported COMPAS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.drawing import OUTSIDE_EDGE, drawing
from api.main import create_app
from api.party_view import profile
from graph.network import neighbourhood
from graph.network_build import build_network
from graph.settings import Settings
from tests.graph.network_data import (
    CLEARVIEW,
    GARANTE,
    INC_CLEARVIEW,
    OUTSIDE_FIXTURE,
    fixture_store,
)

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

BROWSER = "text/html,application/xhtml+xml"


@pytest.fixture
def client() -> Iterator[TestClient]:
    store = fixture_store(fixture=OUTSIDE_FIXTURE)
    with TestClient(create_app(Settings(store="memory"), store)) as c:
        yield c


def _headings(page: str) -> list[str]:
    """The role headings of the entity page's "Incidents by role" section."""
    section = page[page.index('<section class="party-roles">') :]
    return re.findall(r"<h3>([^<]*?) <span", section[: section.index("</section>")])


def test_entity_page_lists_an_authority_as_investigating_not_implicated(
    client: TestClient,
) -> None:
    page = client.get(
        "/id/actor/italian-data-protection-authority", headers={"Accept": BROWSER}
    ).text
    assert _headings(page) == ["Investigated or ruled on"]
    section = page[page.index("<h3>Investigated or ruled on") :]
    for incident in ("hg-2022-001", "hg-2023-013"):
        assert f'href="/id/incident/{incident}"' in section
    assert "Implicated in" not in page
    assert "Appears most often with" not in page  # an authority is no one's partner


def test_entity_page_lists_a_newsroom_as_reporting(client: TestClient) -> None:
    page = client.get("/id/actor/propublica", headers={"Accept": BROWSER}).text
    assert _headings(page) == ["Exposed, documented or litigated"]
    assert 'class="role-incidents role-reported"' in page


def test_a_party_does_not_count_its_regulator_as_a_partner() -> None:
    g = build_network(fixture_store(fixture=OUTSIDE_FIXTURE)).graph
    party = profile(g, CLEARVIEW, str)
    assert party is not None
    assert [role for role, _, _ in party.roles] == ["developer", "deployer"]
    assert GARANTE not in {p.href for p in party.partners}


def test_oversight_edges_are_drawn_dotted_and_neutral() -> None:
    g = build_network(fixture_store(fixture=OUTSIDE_FIXTURE)).graph
    data = drawing(neighbourhood(g, GARANTE), g, str)
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    edge = edges.get((GARANTE, INC_CLEARVIEW)) or edges[(INC_CLEARVIEW, GARANTE)]
    assert {k: edge[k] for k in OUTSIDE_EDGE} == OUTSIDE_EDGE
    assert "investigated or ruled on" in edge["title"]
    party_edge = edges.get((CLEARVIEW, INC_CLEARVIEW)) or edges[(INC_CLEARVIEW, CLEARVIEW)]
    assert party_edge["dashes"] is False and party_edge["color"] != OUTSIDE_EDGE["color"]


def test_path_finder_goes_through_an_authority_only_when_asked(client: TestClient) -> None:
    ends = {"from": "clearview-ai", "to": "openai", "hops": "4"}
    assert client.get("/path.json", params=ends).json()["paths"] == []
    page = client.get("/path", params=ends).text
    assert "Paths leave out regulators, courts and reporters" in page
    through = client.get("/path.json", params={**ends, "oversight": "1"}).json()
    (path,) = through["paths"]
    assert "acted on it (oversight)" in path["hops"][0]["sentence"]
    page = client.get("/path", params={**ends, "oversight": "1"}).text
    assert 'name="oversight" value="1" checked' in page
    assert "oversight=1" in page  # the share link keeps the choice
