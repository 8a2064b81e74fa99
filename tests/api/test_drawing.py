"""api/drawing.py: a co-incident drawing keeps each actor's strongest links and counts the
rest; the newest incidents of a long list, found by the network's date order, are those
the per-incident key finds."""

from __future__ import annotations

import heapq
import io
import json
import random
import re

import networkx as nx
import pyoxigraph as ox
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from api.drawing import EDGES_PER_NODE, LONG_LIST, drawing, newest, strongest
from api.main import create_app
from bench.generate import write
from graph import model
from graph.network import View
from graph.settings import Settings
from graph.store import Store


def _key_newest(network: nx.Graph, incidents: list[str], limit: int) -> list[str]:
    """newest as it was: a key built per incident."""
    nodes = network.nodes
    return heapq.nlargest(
        limit, incidents, key=lambda i: (str(nodes[i].get("date", "")) if i in nodes else "", i)
    )


def test_newest_of_a_long_list_is_the_newest_by_key() -> None:
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    network = nx.Graph()
    iris = [f"https://e.org/incident/{k}" for k in range(600)]
    for iri in iris:
        date = rng.choice(["", "2019", "2020-05", "2020-05-01", "2024", "2024-12-31"])
        network.add_node(iri, kind="incident", **({"date": date} if date else {}))
    for size in (2, LONG_LIST, LONG_LIST + 1, 300, 600):
        for limit in (1, 5, 50):
            incidents = rng.sample(iris, size)
            assert newest(network, incidents, limit) == _key_newest(network, incidents, limit)
    outside = [*rng.sample(iris, 100), "https://e.org/not-in-the-network"]
    assert newest(network, outside, 5) == _key_newest(network, outside, 5)


def _co_incident(weights: dict[tuple[int, int], int]) -> nx.Graph:
    g = nx.Graph()
    for (u, v), w in weights.items():
        if u != v:
            g.add_node(f"a{u}", kind="actor", label=f"A{u}")
            g.add_node(f"a{v}", kind="actor", label=f"A{v}")
            g.add_edge(f"a{u}", f"a{v}", kind="co-incident", weight=w, incidents=("i",) * w)
    return g


@settings(max_examples=100, deadline=None)
@given(
    weights=st.dictionaries(st.tuples(st.integers(0, 14), st.integers(0, 14)), st.integers(1, 6)),
    k=st.integers(1, 4),
)
def test_strongest_keeps_each_ends_k_strongest(weights: dict[tuple[int, int], int], k: int) -> None:
    g = _co_incident(weights)
    drawn = strongest(g, k)

    def best(u: str) -> set[str]:
        ranked = sorted(g.adj[u], key=lambda v: (-g.edges[u, v]["weight"], v))
        return set(ranked[:k])

    want = {(u, v) for u in g for v in best(u)}
    assert drawn == want | {(v, u) for u, v in want}
    for u in g:  # nobody loses every link
        assert g.degree(u) == 0 or any((u, v) in drawn for v in g.adj[u])


def test_a_dense_co_incident_drawing_counts_the_links_it_leaves_out() -> None:
    n = 3 * EDGES_PER_NODE
    g = _co_incident({(u, v): 1 + (u + v) % 5 for u in range(n) for v in range(u + 1, n)})
    data = drawing(View(g, focus=("a0",)), g, str)
    drawn = {frozenset((e["from"], e["to"])) for e in data["edges"]}
    assert drawn == {frozenset(e) for e in strongest(g, EDGES_PER_NODE)}
    assert data["hiddenEdges"] == g.number_of_edges() - len(drawn) > 0
    assert {node["id"]: node["degree"] for node in data["nodes"]} == dict(g.degree)


def test_a_sparse_drawing_draws_every_link() -> None:
    g = _co_incident({(0, 1): 2, (1, 2): 1, (2, 3): 4})
    g.add_edge("a0", "a3", kind="parent", roles=("parent",), subject="a0")
    data = drawing(View(g), g, str)
    assert (len(data["edges"]), data["hiddenEdges"]) == (4, 0)


def test_the_co_incident_page_of_a_hub_counts_the_links_it_leaves_out() -> None:
    out = io.StringIO()
    write(out, 400, seed=7)
    store = Store.open("memory")
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(model.named_graph("s"))))
        for t in ox.parse(out.getvalue().encode(), format=ox.RdfFormat.N_TRIPLES)
    )
    params = {"focus": "synthetic-actor-0", "mode": "actors", "hops": "2"}
    with TestClient(create_app(Settings(store="memory"), store)) as client:
        full = client.get("/network.json", params=params).json()
        page = client.get("/network", params=params).text
    island = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S
    )
    assert island is not None
    drawn = json.loads(island.group(1))
    assert drawn["hiddenEdges"] > 0
    assert len(drawn["edges"]) + drawn["hiddenEdges"] == len(full["edges"])
    assert f"{drawn['hiddenEdges']} weaker links of the {len(full['edges'])} are not" in page
