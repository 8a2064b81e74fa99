"""graph/network_build.py widens incident facets in Python (skos:broader closure): the same
patterns, domains and regions as the property-path query graph.queries.NETWORK_FACETS."""

from __future__ import annotations

from graph import queries
from graph.network_build import _rows, build_network, notation
from graph.store import Store


def test_facets_are_those_of_the_property_path_query(bundled_store: Store) -> None:
    want: dict[str, dict[str, set[str]]] = {}
    for iri, facet, value in _rows(bundled_store, queries.NETWORK_FACETS):
        want.setdefault(iri, {}).setdefault(facet + "s", set()).add(notation(value))
    g = build_network(bundled_store).graph
    widened = 0
    for n, a in g.nodes.items():
        if a["kind"] != "incident":
            continue
        per = want.get(n, {})
        for key in ("patterns", "domains", "regions"):
            assert a[key] == tuple(sorted(per.get(key, ()))), (n, key)
        widened += "north-america" in a["regions"]
    assert widened > 10  # regions really are widened to broader concepts
