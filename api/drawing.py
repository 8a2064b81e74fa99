"""A view drawn with vis-network: pyvis makes the node, edge and option data, we render it.

pyvis (:class:`pyvis.network.Network`) builds the vis-network data: nodes coloured by
kind (or by community), sized by degree or betweenness, placed by the server
(:mod:`graph.network_layout`) with physics off for large views. We never call its
``write_html``/``show`` (its template loads Bootstrap from a CDN and writes a
``lib/`` folder into the working directory); :func:`drawing` returns plain data that
our template puts in a JSON data island read by ``/static/network.js``. The
vis-network build that ships inside the pyvis package is served at
:data:`VIS_PREFIX` (:func:`install`).

Tooltips are plain text here; ``network.js`` turns them into DOM text nodes, so a
label from the data is never parsed as HTML.
"""

from __future__ import annotations

import heapq
import importlib.util
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from fastapi import FastAPI
from pyvis.edge import Edge
from pyvis.network import Network
from starlette.staticfiles import StaticFiles

from graph.network import View
from graph.network_build import outside_only
from graph.network_dates import date_rank
from graph.network_layout import path_layout, radial_layout
from graph.network_metrics import communities, sizes

#: Where the app serves vis-network (from inside the installed pyvis package).
VIS_PREFIX = "/static/vendor/vis"
#: Views with more nodes than this are drawn with physics off.
PHYSICS_MAX_NODES = 60
#: Colour and shape of each kind of node, and its name in the legend.
KINDS: dict[str, tuple[str, str, str]] = {
    "incident": ("#b03a2e", "diamond", "Incident"),
    "actor": ("#1f5f99", "dot", "Actor (organisation, agency, person)"),
    "system": ("#2e7d32", "square", "AI system"),
    "group": ("#c77c02", "triangle", "Harmed group"),
    "unknown": ("#9e9e9e", "dot", "Unknown party"),
}
#: Community colours (Louvain communities are numbered largest first, so stable).
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
)
LABEL_CHARS = 32
ROLE_WORDS = {
    "developer": "developer",
    "deployer": "deployer",
    "system": "AI system",
    "harmed": "harmed",
    "implicated": "implicated",
    "oversight": "investigated or ruled on",
    "reported": "exposed, documented or litigated",
}
#: Incidents an edge lists in the page (the newest first); the rest are counted
#: (``incidentCount``) and listed in the view's JSON and CSV downloads, so a page of
#: hubs sharing thousands of incidents stays small.
EDGE_INCIDENTS = 5
#: On a co-incident drawing an edge is drawn when it is among the strongest (most shared
#: incidents, then by the other end's IRI) this many of either of its ends: every actor
#: keeps its strongest links, a page of 300 actors who nearly all share incidents does not
#: draw tens of thousands. The others are counted (``hiddenEdges``) and stay in the
#: view's JSON and CSV; node sizes and degrees still count them.
EDGES_PER_NODE = 5
#: Lists of incidents longer than this are ranked by :func:`graph.network_dates.date_rank`.
LONG_LIST = 1
#: How an oversight or reporting edge is drawn: neutral grey, dotted, thin (not a party).
OUTSIDE_EDGE = {"color": "#8c9aa6", "dashes": [2, 6], "width": 1}

Href = Callable[[str], str]


def vis_network_dir() -> Path | None:
    """The newest ``vis-9.*`` folder inside the installed pyvis package, if any."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        return None
    found = sorted(
        (Path(spec.origin).parent / "templates" / "lib").glob("vis-9*/vis-network.min.js")
    )
    return found[-1].parent if found else None


def install(app: FastAPI) -> None:
    """Mount vis-network at :data:`VIS_PREFIX`; call before ``/static`` is mounted."""
    found = vis_network_dir()
    if found is not None:
        app.mount(VIS_PREFIX, StaticFiles(directory=found), name="vis-network")


def short(label: str, limit: int = LABEL_CHARS) -> str:
    """A label cut to ``limit`` characters for drawing (the full one is in the tooltip).

    >>> short("U.S. Immigration and Customs Enforcement", 20)
    'U.S. Immigration an…'
    """
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def web_url(url: str) -> str | None:
    """``url`` if it is an http(s) URL (a link a page may carry), else None.

    >>> web_url("javascript:alert(1)") is None, web_url("https://e.org/")
    (True, 'https://e.org/')
    """
    return url if url.startswith(("http://", "https://")) else None


def incident_info(g: nx.Graph, iri: str, href: Href) -> dict[str, Any]:
    """What the details panel and the edge lists say about an incident."""
    a = g.nodes[iri] if iri in g else {}
    return {
        "iri": iri,
        "href": href(iri),
        "label": str(a.get("label", iri)),
        "identifier": str(a.get("identifier", "")),
        "date": str(a.get("date", "")),
        "status": str(a.get("status", "")),
        "severity": str(a.get("severity", "")),
        "sources": [
            {"url": url, "title": title, "publisher": publisher}
            for url, title, publisher in a.get("sources", ())
            if web_url(url)
        ],
    }


def drawing(
    view: View,
    network: nx.Graph,
    href: Href,
    *,
    size_by: str = "degree",
    colour_by: str = "kind",
    paths: list[tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """The vis-network data of ``view``: ``{"nodes", "edges", "options", "physics"}``.

    ``network`` is the whole network (for the incidents behind co-incident edges);
    ``paths`` (node sequences) lay the view out left to right instead of in rings.
    Each edge lists at most :data:`EDGE_INCIDENTS` incidents (newest first) with
    ``incidentCount``, all it has; ``incidents`` describes the listed ones only.
    Co-incident edges are drawn when they are among the :data:`EDGES_PER_NODE`
    strongest of either end (:func:`strongest`); ``hiddenEdges`` counts the others.
    """
    g = view.graph
    # Louvain only when colours show communities: it is the dearest step of a large view.
    size = sizes(g, size_by)
    community = communities(g) if colour_by == "community" else {}
    for n, attrs in g.nodes(data=True):
        attrs.update(size=size.get(n, 0.0), degree=g.degree(n), community=community.get(n, -1))
    pos = path_layout(paths) if paths else radial_layout(g, view.focus)
    physics = g.number_of_nodes() <= PHYSICS_MAX_NODES and not paths
    net = Network(directed=False)
    biggest = max((float(a["size"]) for _, a in g.nodes(data=True)), default=0.0) or 1.0
    focus = set(view.focus)
    for n, a in sorted(g.nodes(data=True), key=lambda item: str(item[0])):
        kind = str(a.get("kind", "actor"))
        colour, shape, _ = KINDS.get(kind, KINDS["actor"])
        if colour_by == "community":
            colour = PALETTE[int(a.get("community", 0)) % len(PALETTE)]
        x, y = pos.get(n, (0.0, 0.0))
        net.add_node(
            str(n),
            label=_label(a),
            shape=shape,
            color=colour,
            size=round(10 + 22 * float(a["size"]) / biggest, 1),
            x=x,
            y=y,
            title=_node_title(a),
            borderWidth=4 if n in focus else 1,
            **_node_details(g, str(n), a, href),
        )
    incidents: dict[str, dict[str, Any]] = {}
    drawn = strongest(g, EDGES_PER_NODE)
    edges = [e for e in g.edges(data=True) if e[2].get("kind") != "co-incident" or e[:2] in drawn]
    hidden = g.number_of_edges() - len(edges)
    for u, v, d in sorted(edges, key=lambda e: (str(e[0]), str(e[1]))):
        # Straight to pyvis's Edge: Network.add_edge looks for duplicates in a list (a
        # quadratic cost), and a networkx Graph has none.
        net.edges.append(Edge(str(u), str(v), False, **_edge(g, network, u, v, d)).options)
        for i in net.edges[-1]["incidents"]:
            if i not in incidents:
                incidents[i] = incident_info(network, i, href)
    options = json.loads(net.options.to_json())
    options["physics"].update(
        {"enabled": physics, "stabilization": {"enabled": physics, "iterations": 200}}
    )
    options["edges"] = {"smooth": False, "color": {"inherit": False}}
    options["interaction"].update({"hover": True, "tooltipDelay": 120})
    options["nodes"] = {"font": {"size": 13, "face": "system-ui, sans-serif"}}
    options["layout"] = {"improvedLayout": False}
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "incidents": incidents,
        "options": options,
        "physics": physics,
        "hiddenEdges": hidden,
    }


def strongest(g: nx.Graph, k: int) -> set[tuple[Any, Any]]:
    """The co-incident edges of ``g`` among the ``k`` strongest of either end: most
    ``weight`` first, then by the other end's IRI; each as ``(u, v)`` and ``(v, u)``.

    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b", {"weight": 3}), ("a", "c", {"weight": 1}),
    ...                   ("c", "d", {"weight": 1})], kind="co-incident")
    >>> sorted(strongest(g, 1))  # c keeps a (ties go to the first IRI), d keeps c
    [('a', 'b'), ('a', 'c'), ('b', 'a'), ('c', 'a'), ('c', 'd'), ('d', 'c')]
    """
    drawn: set[tuple[Any, Any]] = set()
    for u, nbrs in g.adj.items():
        links = [(v, d) for v, d in nbrs.items() if d.get("kind") == "co-incident"]
        if len(links) > k:
            links = heapq.nsmallest(
                k, links, key=lambda vd: (-int(vd[1].get("weight", 1)), str(vd[0]))
            )
        for v, _ in links:
            drawn.add((u, v))
            drawn.add((v, u))
    return drawn


def _label(a: Mapping[str, Any]) -> str:
    if a.get("kind") == "incident":
        return str(a.get("identifier") or short(str(a.get("label", ""))))
    return short(str(a.get("label", "")))


def _node_title(a: Mapping[str, Any]) -> str:
    kind = str(a.get("kind", ""))
    lines = [str(a.get("label", "")), KINDS.get(kind, ("", "", kind))[2]]
    if kind == "incident":
        facts = [a.get("identifier"), a.get("date"), a.get("status"), a.get("severity")]
        lines.append(" · ".join(str(f) for f in facts if f))
    return "\n".join(line for line in lines if line)


def _node_details(g: nx.Graph, n: str, a: Mapping[str, Any], href: Href) -> dict[str, Any]:
    details: dict[str, Any] = {
        "kind": str(a.get("kind", "")),
        "fullLabel": str(a.get("label", n)),
        "href": href(n),
        "degree": int(a.get("degree", 0)),
        "community": int(a.get("community", -1)),
    }
    if a.get("kind") == "incident":
        info = incident_info(g, n, href)
        details.update({k: info[k] for k in ("identifier", "date", "status", "severity")})
        details["sources"] = info["sources"]
    else:
        details["aliases"] = list(a.get("aliases", ()))[:8]
    return details


def _status(network: nx.Graph, incident: str) -> str:
    return str(network.nodes[incident].get("status", "")) if incident in network else ""


def _edge(g: nx.Graph, network: nx.Graph, u: str, v: str, d: Mapping[str, Any]) -> dict[str, Any]:
    """An edge's vis-network options; ``incidents`` are IRIs (described once, in the drawing)."""
    kind = str(d.get("kind", ""))
    lu, lv = str(g.nodes[u].get("label", u)), str(g.nodes[v].get("label", v))
    incidents: list[str]
    if kind == "co-incident":
        incidents = [str(i) for i in d.get("incidents", ())]
        weight = int(d.get("weight", len(incidents)))
        alleged = all(_status(network, i) != "confirmed" for i in incidents)
        title = f"{lu} — {lv}: {weight} shared incident{'s' if weight != 1 else ''}"
        width = min(1 + weight, 12)
    elif kind == "role":
        incidents = [str(d.get("incident", ""))]
        alleged = _status(network, incidents[0]) != "confirmed"
        roles = ", ".join(ROLE_WORDS.get(r, r) for r in d.get("roles", ()))
        party, other = (lu, lv) if g.nodes[u].get("kind") != "incident" else (lv, lu)
        title = f"{party}: {roles} in {other}"
        if outside_only(d):
            title = f"{party} {roles} {other} (not a party to it)"
        width = 2
    else:
        incidents, alleged, width = [], False, 2
        subject = d.get("subject", u)
        a, b = (lu, lv) if subject == u else (lv, lu)
        title = f"{a} was developed by {b}" if kind == "system-developer" else f"{a} is part of {b}"
    if alleged:
        title += " (alleged or not confirmed)"
    style: dict[str, Any] = {
        "width": width,
        "dashes": alleged,
        "color": "#8a8a8a" if alleged else "#555555",
    }
    if outside_only(d):
        style = {**OUTSIDE_EDGE, "outside": True}
    return {
        "kind": kind,
        "title": title,
        **style,
        "incidents": newest(network, incidents),
        "incidentCount": len(incidents),
    }


def newest(network: nx.Graph, incidents: list[str], limit: int = EDGE_INCIDENTS) -> list[str]:
    """The ``limit`` newest of ``incidents`` (by date, then IRI; undated last).

    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"date": "2020"}), ("b", {"date": "2024"}), ("c", {})])
    >>> newest(g, ["a", "b", "c"], 2)
    ['b', 'a']
    """
    if len(incidents) <= 1:
        return incidents
    if len(incidents) > LONG_LIST:
        # Sorted by the network's date order (looked up in C), not a key built per incident.
        place = date_rank(network, "iri")
        try:
            return sorted(incidents, key=place.__getitem__, reverse=True)[:limit]
        except KeyError:  # an incident the network does not know: by its key, below
            pass
    nodes = network.nodes

    def key(i: str) -> tuple[str, str]:
        return (str(nodes[i].get("date", "")) if i in nodes else "", i)

    return heapq.nlargest(limit, incidents, key=key)
