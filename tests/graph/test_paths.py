"""Tests of graph/paths.py and graph/path_sentences.py: paths, hops and their sentences.

The tests that take a network built from a store (``g``, ``outside``) run on each
store backend (tests/backends.py); the others build small networkx graphs by hand.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import BadRequest, NotFound
from graph.network import Filters
from graph.network_build import build_network
from graph.paths import find_paths, path_view, steps
from tests.graph.network_data import (
    CLEARVIEW,
    DHS,
    FIXTURE,
    GARANTE,
    ICE,
    IMMIGRATIONOS,
    INC_2017,
    INC_2026,
    INC_CLEARVIEW,
    INC_OPENAI,
    NORTHPOINTE,
    OPENAI,
    OUTSIDE_FIXTURE,
    PALANTIR,
    PROPUBLICA,
    RECRUITMENT_TOOL,
    UNKNOWN_DEV,
    fixture_store,
    load,
)


@pytest.fixture
def g(backend: str) -> nx.Graph:
    """The network of the Palantir/ICE fixture, built on each store backend."""
    return build_network(fixture_store()).graph


def test_shortest_paths_palantir_to_ice_go_through_each_shared_incident(g: nx.Graph) -> None:
    paths = find_paths(g, PALANTIR, ICE, limit=2)
    assert {p.nodes for p in paths} == {(PALANTIR, INC_2017, ICE), (PALANTIR, INC_2026, ICE)}
    assert all(len(p.hops) == 1 for p in paths)


def test_the_hop_carries_incident_role_date_status_and_sources(g: nx.Graph) -> None:
    path = next(p for p in find_paths(g, PALANTIR, ICE) if p.nodes[1] == INC_2026)
    hop = path.hops[0]
    assert (hop.source, hop.target, hop.incident) == (PALANTIR, ICE, INC_2026)
    assert (hop.source_roles, hop.target_roles) == (("developer",), ("deployer",))
    assert (hop.identifier, hop.date, hop.status) == ("INC-26-0068", "2026", "confirmed")
    assert [s.url for s in hop.sources] == ["https://rollingstone.com"]
    assert hop.sentence == (
        "Palantir Technologies developed Palantir ImmigrationOS, deployed by "
        "U.S. Immigration and Customs Enforcement (INC-26-0068, confirmed, 2026, "
        "sources: Rolling Stone)."
    )
    assert not path.alleged


@pytest.mark.usefixtures("backend")
def test_a_hop_stated_in_two_graphs_is_one_hop_with_its_sources_once() -> None:
    """Oxigraph's union default graph keeps a triple once per named graph."""
    store = fixture_store("curated")
    load(store, FIXTURE, "topaithreats")
    g = build_network(store).graph
    paths = find_paths(g, PALANTIR, ICE, limit=10, max_hops=1)
    assert sorted(p.nodes for p in paths) == sorted(
        [(PALANTIR, INC_2017, ICE), (PALANTIR, INC_2026, ICE)]
    )
    hop = next(p for p in paths if p.nodes[1] == INC_2026).hops[0]
    assert [s.url for s in hop.sources] == ["https://rollingstone.com"]
    assert (hop.source_roles, hop.target_roles) == (("developer",), ("deployer",))


def test_alternatives_come_after_the_shortest_and_respect_the_hop_limit(g: nx.Graph) -> None:
    paths = find_paths(g, PALANTIR, ICE, limit=10, max_hops=2)
    lengths = [steps(g, list(p.nodes)) for p in paths]
    assert lengths == sorted(lengths)
    assert lengths[:2] == [1, 1]
    assert len(paths) > 2
    assert max(lengths) <= 2
    via_parent = [p for p in paths if DHS in p.nodes]
    assert via_parent
    assert any("is the parent organisation of" in h.sentence for p in via_parent for h in p.hops)
    assert len(find_paths(g, PALANTIR, ICE, limit=10, max_hops=1)) == 2


def test_paths_never_go_through_unknowns(g: nx.Graph) -> None:
    for path in find_paths(g, RECRUITMENT_TOOL, PALANTIR, limit=10, max_hops=4):
        assert UNKNOWN_DEV not in path.nodes
    # ...even when the view shows them
    shown = Filters(include_unknown=True)
    assert all(
        UNKNOWN_DEV not in p.nodes
        for p in find_paths(g, RECRUITMENT_TOOL, PALANTIR, limit=10, filters=shown)
    )


def test_a_path_through_an_unknown_only_is_no_path() -> None:
    g = nx.Graph()
    for n, kind in (("a", "actor"), ("b", "actor"), ("u", "unknown")):
        g.add_node(n, kind=kind, unknown=kind == "unknown", label=n)
    g.add_node("i", kind="incident", unknown=False, label="i")
    g.add_node("j", kind="incident", unknown=False, label="j")
    g.add_edges_from([("a", "i"), ("i", "u"), ("u", "j"), ("j", "b")], kind="role")
    assert find_paths(g, "a", "b") == []


def test_hubs_can_be_avoided(g: nx.Graph) -> None:
    # ICE has three links; with hubs above two links avoided, paths to DHS skip it
    assert any(ICE in p.nodes for p in find_paths(g, PALANTIR, DHS, limit=5))
    hub_free = find_paths(g, PALANTIR, DHS, limit=5, hub_degree=2)
    assert hub_free
    assert all(ICE not in p.nodes for p in hub_free)


def test_filters_restrict_the_incidents_a_path_uses(g: nx.Graph) -> None:
    paths = find_paths(g, PALANTIR, ICE, filters=Filters(date_from="2020"), max_hops=1)
    assert [p.nodes for p in paths] == [(PALANTIR, INC_2026, ICE)]


def test_link_hops_read_in_the_right_direction(g: nx.Graph) -> None:
    paths = find_paths(g, IMMIGRATIONOS, PALANTIR, limit=1)
    assert paths[0].sentence == "Palantir ImmigrationOS was developed by Palantir Technologies."
    back = find_paths(g, DHS, ICE, limit=1)[0]
    assert back.sentence == (
        "U.S. Department of Homeland Security is the parent organisation of "
        "U.S. Immigration and Customs Enforcement."
    )


def test_a_path_from_an_incident(g: nx.Graph) -> None:
    path = find_paths(g, INC_2026, ICE, limit=1)[0]
    assert path.hops[0].sentence.startswith(
        "U.S. Immigration and Customs Enforcement is a deployer in INC-26-0068"
    )


def test_alleged_hops_say_so() -> None:
    g = nx.Graph()
    g.add_node("a", kind="actor", unknown=False, label="A")
    g.add_node("h", kind="group", unknown=False, label="H")
    g.add_node(
        "i",
        kind="incident",
        unknown=False,
        label="T",
        identifier="AIID-1",
        status="alleged",
        date="2020",
    )
    g.add_edge("a", "i", kind="role", roles=("deployer",))
    g.add_edge("h", "i", kind="role", roles=("harmed",))
    path = find_paths(g, "a", "h")[0]
    assert path.alleged
    assert path.sentence == "A deployed an AI system, which harmed H (AIID-1, alleged, 2020)."


def test_path_view_draws_only_the_paths(g: nx.Graph) -> None:
    paths = find_paths(g, PALANTIR, ICE, limit=1)
    view = path_view(g, paths, (PALANTIR, ICE))
    assert set(view.graph) == set(paths[0].nodes)
    assert view.graph.number_of_edges() == 2
    assert view.meta["paths"] == paths


def test_path_errors(g: nx.Graph) -> None:
    with pytest.raises(NotFound):
        find_paths(g, PALANTIR, "https://example.org/nobody")
    with pytest.raises(BadRequest):
        find_paths(g, PALANTIR, PALANTIR)
    with pytest.raises(BadRequest):
        find_paths(g, PALANTIR, ICE, max_hops=0)


@pytest.fixture
def outside(backend: str) -> nx.Graph:
    """The network of the oversight/reporting fixture, built on each store backend."""
    return build_network(fixture_store(fixture=OUTSIDE_FIXTURE)).graph


def test_paths_do_not_go_through_a_regulator_by_default(outside: nx.Graph) -> None:
    """Regression: a regulator that fined two unrelated companies connected them."""
    assert find_paths(outside, CLEARVIEW, OPENAI, max_hops=6) == []
    (path,) = find_paths(outside, CLEARVIEW, OPENAI, through_outside=True)
    assert path.nodes == (CLEARVIEW, INC_CLEARVIEW, GARANTE, INC_OPENAI, OPENAI)
    first, second = (h.sentence for h in path.hops)
    assert first.startswith(
        "Clearview AI developed and deployed Clearview AI facial recognition; "
        "Italian Data Protection Authority acted on it (oversight) (HG-2022-001, confirmed,"
    )
    assert second.startswith(
        "Italian Data Protection Authority acted on (oversight) an incident in which "
        "OpenAI developed and deployed ChatGPT (HG-2023-013, confirmed,"
    )


def test_a_path_may_start_or_end_at_an_authority_or_a_reporter(outside: nx.Graph) -> None:
    (path,) = find_paths(outside, GARANTE, OPENAI)
    assert path.nodes == (GARANTE, INC_OPENAI, OPENAI)
    (path,) = find_paths(outside, NORTHPOINTE, PROPUBLICA)
    assert path.hops[0].sentence.startswith(
        "Northpointe developed COMPAS, reported by ProPublica (HG-2016-001, disputed,"
    )
    (path,) = find_paths(outside, PROPUBLICA, NORTHPOINTE)
    assert path.hops[0].sentence.startswith(
        "ProPublica reported an incident in which Northpointe developed COMPAS"
    )
