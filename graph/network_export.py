"""Every network view is also data: JSON, CSV, GEXF, GraphML and Turtle.

:func:`export` is what a route calls (``/network.gexf`` → ``export(view, "gexf",
store)``); it returns the bytes and the media type. GEXF and GraphML take only
scalar attributes, so tuples become ``|``-separated text (sources: their URLs)
and missing values empty strings. Turtle is the RDF behind the view: the
description of every node in it (and of each incident's sources), read from the
store with the named queries :data:`graph.queries.DESCRIBE_RESOURCE` and
:data:`graph.queries.DESCRIBE_SOURCES`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from graph import model, queries
from graph.errors import UnsupportedFormat
from graph.network import View
from graph.network_view import RANKED_DROPPED
from graph.store import Store

#: Format name → media type.
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "ttl": "text/turtle; charset=utf-8",
}
#: How many dropped IRIs the JSON lists (the count and per-kind counts are always there):
#: those a cap ranks at once (:data:`graph.network_view.RANKED_DROPPED`).
DROPPED_LISTED = RANKED_DROPPED
_CSV_COLUMNS = (
    "source",
    "source_label",
    "source_kind",
    "target",
    "target_label",
    "target_kind",
    "kind",
    "roles",
    "incident",
    "weight",
    "incidents",
)


def to_json(view: View) -> dict[str, Any]:
    """The view as node-link JSON, with its focus, cap notice and paths.

    >>> v = View(nx.Graph([("a", "b")]), focus=("a",))
    >>> d = to_json(v)
    >>> d["focus"], len(d["nodes"]), d["capped"]
    (['a'], 2, False)
    """
    data = nx.node_link_data(view.graph, edges="edges")
    return {
        "focus": list(view.focus),
        "capped": view.capped,
        "total_nodes": view.total_nodes,
        "dropped_count": len(view.dropped),
        "dropped_by_kind": view.dropped_by_kind,
        "dropped": list(view.dropped[:DROPPED_LISTED]),
        "nodes": _plain(data["nodes"]),
        "edges": _plain(data["edges"]),
        "paths": _plain(view.meta.get("paths", [])),
    }


def to_csv(view: View) -> str:
    """The view's edges as CSV, one row per edge, with both ends' labels and kinds.

    >>> print(to_csv(View(nx.Graph([("a", "b")]))).splitlines()[1])
    a,a,,b,b,,,,,1,
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    nodes = view.graph.nodes
    for u, v, d in sorted(view.graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        writer.writerow(
            [
                u,
                nodes[u].get("label", u),
                nodes[u].get("kind", ""),
                v,
                nodes[v].get("label", v),
                nodes[v].get("kind", ""),
                d.get("kind", ""),
                "|".join(d.get("roles", ())),
                d.get("incident", ""),
                d.get("weight", 1),
                "|".join(d.get("incidents", ())),
            ]
        )
    return out.getvalue()


def scalar_graph(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose attributes GEXF and GraphML can hold (str, int, float, bool).

    >>> h = scalar_graph(nx.Graph([("a", "b", {"roles": ("developer", "deployer")})]))
    >>> h.edges["a", "b"]["roles"]
    'developer|deployer'
    """
    h = nx.Graph()
    for n, attrs in g.nodes(data=True):
        h.add_node(str(n), **{k: _scalar(k, v) for k, v in attrs.items()})
    for u, v, attrs in g.edges(data=True):
        h.add_edge(str(u), str(v), **{k: _scalar(k, v) for k, v in attrs.items()})
    return h


def to_gexf(view: View) -> bytes:
    """The view as GEXF 1.2 (Gephi).

    >>> to_gexf(View(nx.Graph([("a", "b")]))).startswith(b"<?xml")
    True
    """
    out = io.BytesIO()
    nx.write_gexf(scalar_graph(view.graph), out)
    return out.getvalue()


def to_graphml(view: View) -> bytes:
    """The view as GraphML.

    >>> b"<graphml" in to_graphml(View(nx.Graph([("a", "b")])))
    True
    """
    out = io.BytesIO()
    nx.write_graphml(scalar_graph(view.graph), out)
    return out.getvalue()


def to_turtle(store: Store, view: View) -> str:
    """The RDF behind the view: each node's description and its incidents' sources.

    Serialised by pyoxigraph with the harmgraph prefixes (rdflib's Turtle writer is a
    hundred times slower on a 300-node view).

    >>> to_turtle(Store.open("memory"), View(nx.Graph()))
    ''
    """
    triples: dict[ox.Triple, None] = {}
    for n, attrs in view.graph.nodes(data=True):
        subject = {"s": URIRef(str(n))}
        wanted = [queries.DESCRIBE_RESOURCE]
        if attrs.get("kind") == "incident":
            wanted.append(queries.DESCRIBE_SOURCES)
        for sparql in wanted:
            result = store.query(sparql, substitutions=subject)
            if isinstance(result, ox.QueryTriples):
                triples.update(dict.fromkeys(result))
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(model.PREFIXES))
    return (body or b"").decode("utf-8")


def export(view: View, fmt: str, store: Store | None = None) -> tuple[bytes, str]:
    """The view in ``fmt`` and its media type.

    ``fmt`` is one of :data:`MEDIA_TYPES`; ``ttl`` needs the store.

    Raises:
        UnsupportedFormat: another format, or ``ttl`` without a store.

    >>> export(View(nx.Graph()), "csv")[1]
    'text/csv; charset=utf-8'
    """
    writers: dict[str, Callable[[], bytes]] = {
        "json": lambda: json.dumps(to_json(view), ensure_ascii=False).encode("utf-8"),
        "csv": lambda: to_csv(view).encode("utf-8"),
        "gexf": lambda: to_gexf(view),
        "graphml": lambda: to_graphml(view),
    }
    if store is not None:
        writers["ttl"] = lambda: to_turtle(store, view).encode("utf-8")
    if fmt not in writers:
        offered = ", ".join(sorted(MEDIA_TYPES))
        raise UnsupportedFormat(f"a network view comes as {offered}, not {fmt!r}")
    return writers[fmt](), MEDIA_TYPES[fmt]


def _scalar(key: str, value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if value is None:
        return ""
    if isinstance(value, tuple | list | set | frozenset):
        if key == "sources":
            return "|".join(str(v[0]) if isinstance(v, tuple | list) else str(v) for v in value)
        return "|".join(str(v) for v in value)
    return str(value)


def _plain(value: Any) -> Any:
    """JSON-ready copies: dataclasses to dicts, tuples and sets to lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value
