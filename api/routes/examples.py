"""The worked example queries: ``/sparql/examples`` (JSON) and ``/sparql/examples/{slug}.rq``.

The examples live in ``data/queries/*.rq`` (see :mod:`graph.examples`); the query
editor lists them and docs/queries.md shows them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import SettingsDep
from api.view_formats import choose
from graph.examples import get_example, load_examples

router = APIRouter(tags=["sparql"])

#: Media types an example's text is served as (the first is the default).
QUERY_TYPES = ["text/plain", "application/sparql-query"]


@router.get("/sparql/examples")
def examples(request: Request, settings: SettingsDep) -> dict[str, Any]:
    """Every worked example: slug, title, what it answers, tags, the query and its URL."""
    found = load_examples(settings.data_dir / "queries")
    return {
        "examples": [
            {**ex.to_json(), "url": str(request.url_for("example_query", slug=ex.slug))}
            for ex in found
        ]
    }


@router.get("/sparql/examples/{slug}.rq", name="example_query")
def example_query(slug: str, request: Request, settings: SettingsDep) -> Response:
    """One example's SPARQL text (``text/plain`` or ``application/sparql-query``)."""
    ex = get_example(slug, settings.data_dir / "queries")
    chosen = choose(request, None, QUERY_TYPES, "an example query is available as text only")
    return Response(ex.text, media_type=f"{chosen}; charset=utf-8", headers={"Vary": "Accept"})
