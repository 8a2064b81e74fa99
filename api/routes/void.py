"""The dataset description at ``/.well-known/void`` (VoID + DCAT; RFC 5785 well-known URI).

Turtle by default; JSON-LD or N-Triples by ``Accept``. The dataset IRI is
``{base_iri}.well-known/void#dataset``; the SPARQL endpoint and dump URLs are
this server's, as the client reached it. See :mod:`graph.void` and docs/api.md.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.conditional import etag, not_modified
from api.deps import SettingsDep, StoreDep
from api.view_formats import choose
from graph.versions import store_version
from graph.void import describe

router = APIRouter(tags=["dumps"])

#: Media types offered, first is the default, with rdflib's serialiser names.
OFFERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


@router.get("/.well-known/void")
def void(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """VoID and DCAT description of the dataset: size, licence, sources, dumps, endpoint."""
    chosen = choose(request, None, list(OFFERS), "no acceptable format for the dataset description")
    version = store_version(store)
    headers = {"Vary": "Accept", "ETag": etag(version.tag), "Cache-Control": "no-cache"}
    if not_modified(request.headers, headers["ETag"], version.last_import):
        return Response(status_code=304, headers=headers)
    graph = describe(
        store,
        dataset=settings.base_iri + ".well-known/void#dataset",
        base_url=str(request.base_url),
    )
    body = graph.serialize(format=OFFERS[chosen], encoding="utf-8")
    media = chosen + ("; charset=utf-8" if chosen.startswith("text/") else "")
    return Response(body, headers=headers, media_type=media)
