"""The network explorer: ``/network?focus=…`` and the same view as data (``/network.gexf``…).

``mode=incidents`` (the default) is the neighbourhood of ``focus``: incidents drawn as
nodes linking their actors, AI systems and harmed groups, ``hops`` (1-3) party-to-party
steps out. ``mode=actors`` is the actor--actor co-incident network: an edge per pair
of actors that share incidents, as wide as the number they share. Without a focus,
the whole network, capped to its best-linked nodes. See docs/explorer.md for every
parameter.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api import explore
from api.deps import SettingsDep, StoreDep
from api.drawing import EDGES_PER_NODE, KINDS, drawing
from api.explore import ViewState, current_network, find
from api.templating import render
from api.view_formats import download
from graph import network as views
from graph.errors import UnknownName
from graph.network_build import Network
from graph.settings import Settings

router = APIRouter(tags=["explore"])

DATES = ("from", "to")
PLURALS = {
    "incident": "incidents",
    "actor": "actors",
    "system": "AI systems",
    "group": "harmed groups",
    "unknown": "unknown parties",
}


def network_state(request: Request, settings: Settings) -> ViewState:
    """The view state of a /network URL."""
    return explore.read_state(
        request,
        settings,
        ends=("focus",),
        date_names=DATES,
        hops_default=1,
        hops_limit=("hops", views.MAX_HOPS),
    )


def network_view(network: Network, state: ViewState, focus: str | None) -> views.View:
    """The view a state asks for (``focus`` resolved to an IRI, or None)."""
    g, filters = network.graph, state.filters
    if state.mode == "actors":
        return views.co_incident(
            g, focus, hops=state.hops, filters=filters, max_nodes=state.max_nodes
        )
    if focus is not None:
        return views.neighbourhood(
            g, focus, hops=state.hops, filters=filters, max_nodes=state.max_nodes
        )
    return views.whole(g, filters, max_nodes=state.max_nodes)


def _resolve_focus(network: Network, state: ViewState, settings: Settings) -> str | None:
    text = state.ends.get("focus", "")
    return find(network, text, explore.linker(settings), "focus") if text else None


@router.get("/network.{fmt}", summary="A network view as data (json, csv, gexf, graphml, ttl)")
def network_data(fmt: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The view ``/network?…`` describes, as JSON, CSV, GEXF, GraphML or Turtle."""
    state = network_state(request, settings)
    network = current_network(request, store)
    focus = _resolve_focus(network, state, settings)
    view = network_view(network, state, focus)
    name = "network-" + (focus.rsplit("/", 1)[-1] if focus else "all") + "-" + state.mode
    return download(view, fmt, store, name)


@router.get("/network", summary="Network explorer (HTML)", response_model=None)
def network_page(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The neighbourhood or co-incident network drawn, with filters and downloads."""
    state = network_state(request, settings)
    network = current_network(request, store)
    context = explore.page_context("/network", state, network, settings, DATES)
    context.update(
        focus=[],
        view=None,
        counts=[],
        listed=[],
        path_from=state.ends.get("focus", ""),
        max_hops=views.MAX_HOPS,
        max_view_nodes=settings.max_view_nodes,
        edges_per_node=EDGES_PER_NODE,
    )
    try:
        focus = _resolve_focus(network, state, settings)
    except UnknownName as exc:
        context.update(unknown=exc, drawing=None)
        return render(request, "network.html", context, status=404)
    view = network_view(network, state, focus)
    href = explore.linker(settings)
    data = drawing(view, network.graph, href, size_by=state.size, colour_by=state.colour)
    nodes = view.graph.nodes
    context.update(
        focus=[(iri, str(nodes[iri].get("label", iri)), href(iri)) for iri in view.focus],
        view=view,
        drawing=data,
        counts=_counts(view),
        listed=_listed(view, href),
    )
    return render(request, "network.html", context)


def _counts(view: views.View) -> list[tuple[str, int]]:
    found = Counter(str(a.get("kind", "")) for _, a in view.graph.nodes(data=True))
    return [(PLURALS[k], found[k]) for k in KINDS if found[k]]


def _listed(view: views.View, href: Any) -> list[tuple[str, str, str, str]]:
    """The drawn nodes as a list (kind, label, link, detail): the page without JavaScript."""
    order = {k: i for i, k in enumerate(KINDS)}
    rows = []
    for n, a in view.graph.nodes(data=True):
        kind = str(a.get("kind", ""))
        detail = " · ".join(str(a.get(k)) for k in ("identifier", "date", "status") if a.get(k))
        rows.append((kind, str(a.get("label", n)), href(str(n)), detail))
    rows.sort(key=lambda r: (order.get(r[0], 9), r[1].casefold()))
    return rows
