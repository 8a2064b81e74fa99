"""Tests of graph/network_export.py: every view exports and parses back."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS

from graph.errors import UnsupportedFormat
from graph.network import View, co_incident, neighbourhood
from graph.network_build import build_network
from graph.network_export import (
    MEDIA_TYPES,
    export,
    to_csv,
    to_gexf,
    to_graphml,
    to_json,
    to_turtle,
)
from graph.network_metrics import annotate
from graph.paths import find_paths, path_view
from graph.store import Store
from tests.graph.network_data import ICE, INC_2017, INC_2026, PALANTIR, fixture_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def store() -> Store:
    return fixture_store()


@pytest.fixture
def view(store: Store) -> View:
    v = neighbourhood(build_network(store).graph, PALANTIR, hops=1, max_nodes=6)
    annotate(v.graph, size_by="betweenness")
    return v


def test_json_is_node_link_with_the_cap_notice(view: View) -> None:
    data = json.loads(export(view, "json")[0])
    assert data["focus"] == [PALANTIR]
    assert data["capped"] is True
    assert data["dropped_count"] == len(view.dropped) > 0
    ids = {n["id"] for n in data["nodes"]}
    assert PALANTIR in ids
    palantir = next(n for n in data["nodes"] if n["id"] == PALANTIR)
    assert palantir["label"] == "Palantir Technologies"
    assert {"source", "target", "roles"} <= set(data["edges"][0])


def test_json_of_a_path_view_carries_hops_and_sentences(store: Store) -> None:
    g = build_network(store).graph
    paths = find_paths(g, PALANTIR, ICE, limit=2)
    data = to_json(path_view(g, paths, (PALANTIR, ICE)))
    assert len(data["paths"]) == 2
    hop = data["paths"][0]["hops"][0]
    assert hop["sentence"].startswith("Palantir Technologies developed")
    assert hop["sources"][0]["url"].startswith("https://")


def test_csv_lists_edges_with_co_incident_weights(store: Store) -> None:
    view = co_incident(build_network(store).graph)
    rows = list(csv.DictReader(io.StringIO(to_csv(view))))
    row = next(r for r in rows if {r["source"], r["target"]} == {PALANTIR, ICE})
    assert row["weight"] == "2"
    assert set(row["incidents"].split("|")) == {INC_2017, INC_2026}


def test_gexf_and_graphml_parse_back_with_networkx(view: View) -> None:
    for reader, data in ((nx.read_gexf, to_gexf(view)), (nx.read_graphml, to_graphml(view))):
        back = reader(io.BytesIO(data))
        assert set(back.nodes) == set(view.graph.nodes)
        assert back.number_of_edges() == view.graph.number_of_edges()
    graphml = nx.read_graphml(io.BytesIO(to_graphml(view)))
    assert graphml.nodes[PALANTIR]["kind"] == "actor"
    assert "Palantir" in graphml.nodes[PALANTIR]["aliases"].split("|")
    assert graphml.nodes[INC_2026]["sources"] == "https://rollingstone.com"


def test_turtle_holds_the_triples_behind_the_view(store: Store, view: View) -> None:
    g = Graph().parse(data=to_turtle(store, view), format="turtle")
    assert (URIRef(PALANTIR), RDFS.label, None) in g
    kept_incidents = [n for n in view.graph if view.graph.nodes[n]["kind"] == "incident"]
    assert kept_incidents
    for incident in kept_incidents:
        assert (URIRef(incident), DCTERMS.identifier, None) in g
    # the incidents' sources come along, so every hop's evidence is in the export
    assert any(str(o).startswith("https://") for o in g.objects(None, None))
    subjects = {str(s) for s in g.subjects()}
    assert (
        not subjects
        - set(view.graph)
        - {str(s) for s in g.subjects(None, None) if "/source/" in str(s)}
    )


def test_every_format_has_a_media_type_and_unknown_formats_are_refused(
    store: Store, view: View
) -> None:
    for fmt, media_type in MEDIA_TYPES.items():
        body, kind = export(view, fmt, store)
        assert body
        assert kind == media_type
    with pytest.raises(UnsupportedFormat):
        export(view, "xlsx", store)
    with pytest.raises(UnsupportedFormat):
        export(view, "ttl")  # Turtle needs the store
