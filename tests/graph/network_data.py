"""Shared fixture data for the network tests (tests/data/network, see tests/data/README.md)."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from bench.generate import write
from graph import model
from graph.network_build import build_network
from graph.store import Store
from tests.backends import fresh_store

FIXTURE = Path(__file__).parent.parent / "data" / "network" / "palantir-ice.ttl"
ROOT = Path(__file__).parent.parent.parent

PALANTIR = str(model.mint("actor", "palantir"))
ICE = str(model.mint("actor", "us-immigration-and-customs-enforcement"))
DHS = str(model.mint("actor", "us-department-of-homeland-security"))
IMMIGRATIONOS = str(model.mint("system", "palantir-immigrationos"))
ICM = str(model.mint("system", "palantir-investigative-case-management"))
RECRUITMENT_TOOL = str(model.mint("system", "ice-ai-recruitment-tool"))
INC_2026 = str(model.mint("incident", "inc-26-0068"))
INC_2017 = str(model.mint("incident", "hg-2017-002"))
UNKNOWN_DEV = str(
    model.part(model.mint("incident", "inc-26-0068"), "unknown", "recruitment-tool-developer")
)
COMMUNITIES = str(
    model.mint("group", "immigrant-communities-targeted-by-ai-generated-deportation-maps")
)

#: tests/data/network/oversight-reporting.ttl: an authority and a newsroom outside incidents.
OUTSIDE_FIXTURE = FIXTURE.parent / "oversight-reporting.ttl"
CLEARVIEW = str(model.mint("actor", "clearview-ai"))
OPENAI = str(model.mint("actor", "openai"))
GARANTE = str(model.mint("actor", "italian-data-protection-authority"))
PROPUBLICA = str(model.mint("actor", "propublica"))
NORTHPOINTE = str(model.mint("actor", "northpointe"))
INC_CLEARVIEW = str(model.mint("incident", "hg-2022-001"))
INC_OPENAI = str(model.mint("incident", "hg-2023-013"))
INC_COMPAS = str(model.mint("incident", "hg-2016-001"))


def load(store: Store, fixture: Path, graph: str) -> None:
    """Add a Turtle fixture to one named graph of ``store`` (any backend)."""
    target = ox.NamedNode(str(model.named_graph(graph)))
    store.extend(
        ox.Quad(q.subject, q.predicate, q.object, target)
        for q in ox.parse(path=str(fixture), format=ox.RdfFormat.TURTLE)
    )


def fixture_store(graph: str = "curated", fixture: Path = FIXTURE) -> Store:
    """A fresh store of the active backend holding a network fixture in one named graph."""
    store = fresh_store()
    load(store, fixture, graph)
    return store


def synthetic_network(incidents: int, seed: int = 7) -> nx.Graph:
    """The network of ``incidents`` synthetic incidents of bench/generate.py (seeded): a hub
    in hundreds of them at 1,500, parties named ``synthetic-actor-N``."""
    out = io.StringIO()
    write(out, incidents, seed=seed)
    store = Store.open("memory")
    name = ox.NamedNode(str(model.named_graph("synthetic")))
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, name)
        for t in ox.parse(out.getvalue().encode(), format=ox.RdfFormat.N_TRIPLES)
    )
    return build_network(store).graph


def synthetic_actor(n: int) -> str:
    """The IRI of bench/generate.py's ``synthetic-actor-N``."""
    return str(model.mint("actor", f"synthetic-actor-{n}"))
