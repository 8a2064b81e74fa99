"""The path finder: ``/path?from=…&to=…`` — how is A connected to B, with the evidence.

The shortest paths (and up to ``limit`` alternatives) are drawn left to right and
written out as sentences, one per hop, each with its incident (linked), date, status
(alleged links are marked) and source links. ``from`` and ``to`` take an IRI, a slug,
a name or an alias. Paths go along oversight and reporting links (a regulator, court,
NGO or newsroom outside the incident) only with ``oversight=1``. ``/path.json``
(``.csv``, ``.gexf``, ``.graphml``, ``.ttl``) is the same view as data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api import explore
from api.deps import SettingsDep, StoreDep
from api.drawing import drawing, web_url
from api.explore import ViewState, current_network, find
from api.templating import render
from api.view_formats import download
from graph.errors import UnknownName
from graph.network import View
from graph.network_build import Network
from graph.paths import Path, find_paths, path_view
from graph.settings import Settings

router = APIRouter(tags=["explore"])

DATES = ("since", "until")


def path_state(request: Request, settings: Settings) -> ViewState:
    """The view state of a /path URL (``hops`` defaults to the ``max_path_hops`` setting)."""
    return explore.read_state(
        request,
        settings,
        ends=("from", "to"),
        date_names=DATES,
        hops_default=settings.max_path_hops,
        hops_limit=("max_path_hops", settings.max_path_hops),
    )


def _ends(network: Network, state: ViewState, settings: Settings) -> tuple[str, str]:
    href = explore.linker(settings)
    return (
        find(network, state.ends["from"], href, "from"),
        find(network, state.ends["to"], href, "to"),
    )


def paths_view(network: Network, state: ViewState, ends: tuple[str, str]) -> View:
    """The paths between the two ends as a view (its ``meta["paths"]`` holds them)."""
    paths = find_paths(
        network.graph,
        ends[0],
        ends[1],
        limit=state.limit,
        max_hops=state.hops,
        filters=state.filters,
        through_outside=state.through_outside,
    )
    return path_view(network.graph, paths, ends)


@router.get("/path.{fmt}", summary="Paths between two parties as data")
def path_data(fmt: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The paths ``/path?from=…&to=…`` finds, as JSON (with hops), CSV, GEXF, GraphML or Turtle."""
    state = path_state(request, settings)
    network = current_network(request, store)
    ends = _ends(network, state, settings)
    view = paths_view(network, state, ends)
    name = "path-" + "-to-".join(e.rsplit("/", 1)[-1] for e in ends)
    return download(view, fmt, store, name)


@router.get("/path", summary="Path finder (HTML)", response_model=None)
def path_page(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """How is A connected to B: the paths drawn and written out with their sources."""
    state = path_state(request, settings)
    network = current_network(request, store)
    href = explore.linker(settings)
    context = explore.page_context("/path", state, network, settings, DATES)
    context.update(ends=None, paths=[], drawing=None, max_path_hops=settings.max_path_hops)
    if not (state.ends["from"] and state.ends["to"]):
        return render(request, "path.html", context)
    try:
        ends = _ends(network, state, settings)
    except UnknownName as exc:
        context["unknown"] = exc
        return render(request, "path.html", context, status=404)
    view = paths_view(network, state, ends)
    paths: list[Path] = view.meta["paths"]
    g = network.graph
    context.update(
        ends=[(iri, str(g.nodes[iri].get("label", iri)), href(iri)) for iri in ends],
        paths=[_path_context(p, href) for p in paths],
        drawing=drawing(view, g, href, paths=[p.nodes for p in paths]) if paths else None,
        network_links=["/network?" + urlencode({"focus": iri}) for iri in ends],
    )
    return render(request, "path.html", context)


def _path_context(path: Path, href: Any) -> dict[str, Any]:
    """A path as the template writes it: one entry per hop with its evidence."""
    hops = []
    for hop in path.hops:
        hops.append(
            {
                "sentence": hop.sentence,
                "link": hop.link,
                "source": (hop.source_label, href(hop.source)),
                "target": (hop.target_label, href(hop.target)),
                "incident": href(hop.incident) if hop.incident else "",
                "identifier": hop.identifier,
                "title": hop.title,
                "date": hop.date,
                "status": hop.status or "unassessed",
                "confirmed": hop.status == "confirmed",
                "sources": [s for s in hop.sources if web_url(s.url)],
            }
        )
    return {"hops": hops, "alleged": path.alleged, "steps": len(path.hops)}
