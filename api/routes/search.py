"""Search by name, alias, acronym or identifier: ``/search?q=`` (HTML) and ``/search.json``.

``/search.json?q=ICE&limit=8`` is the type-ahead the search box on every page asks
(``/static/search.js``); ``/search?q=ICE`` is the results page, grouped by kind,
each result linking to its entity page. Ranking is :mod:`graph.search`'s: exact
names and acronyms first ("ICE" finds U.S. Immigration and Customs Enforcement).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import SettingsDep, StoreDep
from api.drawing import KINDS
from api.explore import current_network
from api.templating import local_href, render
from graph.errors import BadRequest
from graph.search import Hit
from graph.settings import Settings
from graph.store import Store

router = APIRouter(tags=["explore"])

#: Most results of one search.
MAX_RESULTS = 100
#: Order of the groups on the results page.
GROUPS = ("actor", "system", "group", "incident", "unknown")


def _hits(
    request: Request, store: Store, q: str, limit: int, kinds: frozenset[str] | None = None
) -> list[Hit]:
    if not 1 <= limit <= MAX_RESULTS:
        raise BadRequest(f"limit is between 1 and {MAX_RESULTS}, not {limit}")
    return current_network(request, store).index.search(q, limit=limit, kinds=kinds)


def _hit_json(hit: Hit, settings: Settings) -> dict[str, Any]:
    return {
        "iri": hit.iri,
        "label": hit.label,
        "kind": hit.kind,
        "matched": hit.matched,
        "href": local_href(hit.iri, settings),
        "links": hit.degree,
    }


@router.get("/search.json", summary="Type-ahead search (JSON)")
def search_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=200, description="A name, alias, acronym or id")] = "",
    limit: Annotated[int, Query(description="How many results (1-100)")] = 10,
    kind: Annotated[str, Query(description="Only this kind: actor, system, group, incident")] = "",
) -> Response:
    """The best matches for ``q``, best first, as ``{"query", "results": [...]}``."""
    kinds = frozenset({kind}) if kind else None
    hits = _hits(request, store, q, limit, kinds)
    body = {"query": q, "results": [_hit_json(h, settings) for h in hits]}
    return JSONResponse(body)


@router.get("/search", summary="Search page", response_model=None)
def search_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Results for ``q`` grouped by kind (actors, AI systems, harmed groups, incidents)."""
    hits = _hits(request, store, q, MAX_RESULTS) if q.strip() else []
    grouped = [
        (kind, KINDS[kind][2], [h for h in hits if h.kind == kind])
        for kind in GROUPS
        if any(h.kind == kind for h in hits)
    ]
    return render(
        request,
        "search.html",
        {"q": q, "groups": grouped, "count": len(hits), "limit": MAX_RESULTS},
    )
