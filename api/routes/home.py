"""The home page: what the graph holds (counts, last update, licence) and links to everything.

``/`` answers HTML or JSON by ``Accept``; ``/.json`` and ``/index.json`` always JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.deps import StoreDep
from api.templating import local_href, render
from api.view_formats import HTML_OR_JSON, choose
from graph import model
from graph.overview import Overview, overview
from graph.store import Store

router = APIRouter(tags=["home"])

#: (path, what it is); ``None`` paths are announced but not served yet.
LINKS: tuple[tuple[str, str, bool], ...] = (
    ("/sparql", "SPARQL endpoint and query editor", True),
    ("/ontology", "Ontology documentation (and /ontology.ttl)", True),
    ("/shapes", "SHACL shapes: what a complete incident is (and /shapes.ttl)", True),
    ("/dump.ttl", "Whole graph as Turtle (also .nt, .nq, .trig, .jsonld)", True),
    ("/.well-known/void", "VoID / DCAT description of the dataset", True),
    ("/docs", "HTTP API documentation (OpenAPI)", True),
    ("/openapi.json", "OpenAPI description", True),
    ("/-/health", "Health check", True),
    ("/-/version", "Versions", True),
    ("/search", "Search actors, AI systems, harmed groups and incidents", True),
    ("/network", "Network explorer: who is linked to whom, through which incidents", True),
    ("/path", "Path finder: how is A connected to B, with the sources for every step", True),
    ("/quality", "Data quality: completeness per shape, source dataset and incident", True),
)
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
}


def home_json(summary: Overview) -> dict[str, Any]:
    """The home page as data."""
    return {
        "counts": {**summary.counts, "triples": summary.triples},
        "incidents_per_dataset": {model.curie(k): n for k, n in summary.datasets.items()},
        "modified": summary.modified,
        "licence": summary.licence,
        "links": {path: text for path, text, live in LINKS if live},
    }


def _home(request: Request, store: Store, forced: str | None) -> Response:
    media = choose(request, forced, HTML_OR_JSON)
    summary = overview(store)
    if media == "application/json":
        return JSONResponse(home_json(summary), headers={"Vary": "Accept"})
    settings = request.app.state.settings
    datasets = [
        (local_href(iri, settings), iri.rsplit("/", 1)[-1], n)
        for iri, n in summary.datasets.items()
    ]
    return render(
        request,
        "home.html",
        {
            "summary": summary,
            "datasets": datasets,
            "licence_name": LICENCE_NAMES.get(summary.licence, summary.licence),
            "links": LINKS,
            "examples": [
                ("/id/incident/inc-26-0068", "INC-26-0068: Palantir ImmigrationOS"),
                ("/id/actor/palantir", "Palantir Technologies"),
                ("/vocab/severity", "Severity scheme"),
            ],
        },
    )


@router.get("/", summary="Home page", response_model=None)
def home(request: Request, store: StoreDep) -> Response:
    """What the graph holds: counts, last update, licence, and links to everything."""
    return _home(request, store, None)


@router.get("/.json", summary="Home page as JSON", include_in_schema=False)
@router.get("/index.json", summary="Home page as JSON")
def home_as_json(request: Request, store: StoreDep) -> Response:
    """The home page's counts, last update, licence and links as JSON."""
    return _home(request, store, "application/json")
