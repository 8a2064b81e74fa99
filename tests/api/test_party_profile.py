"""api/party_view.profile: built from the memoised date order and co-incident sides, it is the
profile the per-incident walk gave (roles, their order, every row, the partners), on the
bundled data and on synthetic bench data; its rows are built for the part a page shows."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from api.party_view import (
    ROLE_HEADINGS,
    TOP_PARTNERS,
    Partner,
    Profile,
    RoleIncident,
    RoleIncidents,
    profile,
)
from graph.network_build import ROLES, build_network, outside_only
from graph.store import Store
from tests.graph.network_data import synthetic_actor, synthetic_network


def reference(g: nx.Graph, iri: str) -> Profile | None:
    """profile as it was: a row per role incident, partners counted incident by incident."""
    if iri not in g:
        return None
    a = g.nodes[iri]
    if a.get("kind") == "incident":
        return Profile("incident", (), (), "", iri, 1)
    by_role: dict[str, list[tuple[str, RoleIncident]]] = {}
    partners: Counter[str] = Counter()
    incidents = 0
    for incident, edge in g.adj[iri].items():
        if edge.get("kind") != "role":
            continue
        incidents += 1
        info = g.nodes[incident]
        item = RoleIncident(
            href=incident,
            identifier=str(info.get("identifier", "")),
            title=str(info.get("label", "")),
            date=str(info.get("date", "")),
            severity=str(info.get("severity", "")),
            status=str(info.get("status", "")),
            sources=tuple(
                (url, publisher or title)
                for url, title, publisher in info.get("sources", ())
                if url.startswith(("http://", "https://"))
            ),
        )
        for role in edge.get("roles", ()):
            by_role.setdefault(role, []).append((incident, item))
        if outside_only(edge):
            continue
        for other, e in g.adj[incident].items():
            o = g.nodes[other]
            if (
                other != iri
                and e.get("kind") == "role"
                and not outside_only(e)
                and o["kind"] == "actor"
                and not o["unknown"]
            ):
                partners[other] += 1
    roles = tuple(
        (
            role,
            ROLE_HEADINGS[role],
            tuple(
                item
                for _, item in sorted(
                    by_role[role], key=lambda x: (x[1].date, x[1].identifier), reverse=True
                )
            ),
        )
        for role in ROLES
        if role in by_role
    )
    top = sorted(partners.items(), key=lambda kv: (-kv[1], str(g.nodes[kv[0]]["label"])))
    return Profile(
        kind=str(a.get("kind", "")),
        roles=roles,
        partners=tuple(
            Partner(str(g.nodes[p]["label"]), p, "actor", n) for p, n in top[:TOP_PARTNERS]
        ),
        network_href="",
        path_from=iri,
        incidents=incidents,
    )


def assert_same(g: nx.Graph, iri: str) -> Profile | None:
    got, want = profile(g, iri, str), reference(g, iri)
    if want is None or got is None:
        assert got is want
        return None
    assert (got.kind, got.incidents, got.path_from) == (want.kind, want.incidents, want.path_from)
    assert [(r, h, tuple(items)) for r, h, items in got.roles] == list(want.roles)
    assert got.roles == want.roles  # RoleIncidents equals the tuple of its rows
    assert got.partners == want.partners
    return got


@pytest.fixture(scope="module")
def bundled_graph(bundled_store: Store) -> nx.Graph:
    return build_network(bundled_store).graph


def test_bundled_profiles_match_the_incident_walk(bundled_graph: nx.Graph) -> None:
    parties = sorted(n for n, a in bundled_graph.nodes.items() if a["kind"] != "incident")
    busiest = sorted(parties, key=lambda n: -bundled_graph.degree(n))[:20]
    for iri in {*parties[::5], *busiest, "https://w3id.org/harmgraph/id/actor/absent"}:
        assert_same(bundled_graph, iri)


@pytest.fixture(scope="module")
def synthetic_graph() -> nx.Graph:
    """1,500 synthetic incidents of bench/generate.py (its hub is in hundreds of them)."""
    return synthetic_network(1500)


def test_synthetic_profiles_match_the_incident_walk(synthetic_graph: nx.Graph) -> None:
    parties = sorted(n for n, a in synthetic_graph.nodes.items() if a["kind"] != "incident")
    for iri in parties[::40]:
        assert_same(synthetic_graph, iri)
    hub = synthetic_actor(0)
    got = assert_same(synthetic_graph, hub)
    assert got is not None and got.incidents > 100 and len(got.partners) == TOP_PARTNERS


def test_rows_are_built_for_the_page_only(synthetic_graph: nx.Graph) -> None:
    hub = synthetic_actor(0)
    built: list[str] = []

    def href(iri: str) -> str:
        built.append(iri)
        return iri

    got = profile(synthetic_graph, hub, href)
    assert got is not None
    _, _, items = max(got.roles, key=lambda r: len(r[2]))
    assert isinstance(items, RoleIncidents) and len(items) > 50
    built.clear()
    page = items[50:100]
    assert len(page) == len(built) == 50
    assert [row.date for row in page] == sorted((row.date for row in page), reverse=True)
