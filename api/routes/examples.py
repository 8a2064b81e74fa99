"""The worked example queries: ``/sparql/examples`` (JSON) and ``/sparql/examples/{slug}.rq``.

The examples live in ``data/queries/*.rq`` (see :mod:`graph.examples`); the query
editor lists them and docs/queries.md shows them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.deps import get_settings
from api.negotiation import negotiate
from graph.errors import NotAcceptable
from graph.examples import get_example, load_examples
from graph.settings import Settings

router = APIRouter(tags=["sparql"])

#: Media types an example's text is served as (the first is the default).
QUERY_TYPES = ["text/plain", "application/sparql-query"]


@router.get("/sparql/examples")
def examples(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> dict[str, Any]:
    """Every worked example: slug, title, what it answers, tags, the query and its URL."""
    found = load_examples(settings.data_dir / "queries")
    return {
        "examples": [
            {**ex.to_json(), "url": str(request.url_for("example_query", slug=ex.slug))}
            for ex in found
        ]
    }


@router.get("/sparql/examples/{slug}.rq", name="example_query")
def example_query(
    slug: str, request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> Response:
    """One example's SPARQL text (``text/plain`` or ``application/sparql-query``)."""
    ex = get_example(slug, settings.data_dir / "queries")
    chosen = negotiate(request.headers.get("accept"), QUERY_TYPES)
    if chosen is None:
        raise NotAcceptable("an example query is available as text only", offered=QUERY_TYPES)
    return Response(ex.text, media_type=f"{chosen}; charset=utf-8", headers={"Vary": "Accept"})
