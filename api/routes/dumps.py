"""Whole-graph dumps: ``/dump.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.jsonld``, streamed.

Triple formats (Turtle, N-Triples) hold the union of all named graphs, each
triple once; dataset formats keep the graph names. The body is streamed from the
store while it is serialised (:mod:`api.streaming`), so memory stays flat as the
graph grows. ETag and Last-Modified come from :func:`graph.versions.store_version`;
``If-None-Match`` / ``If-Modified-Since`` give 304; gzip when the client asks.
A dump that includes AI Incident Database data carries its licence (CC BY-SA 4.0)
in a ``Link: <…>; rel="license"`` header. See docs/api.md.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from api.conditional import etag, http_date, not_modified
from api.deps import StoreDep
from api.streaming import accepts_gzip, stream
from graph.errors import NotFound
from graph.io import FORMATS, export
from graph.versions import store_version
from graph.void import CC_BY_SA, DUMPS, includes_aiid

router = APIRouter(tags=["dumps"])


@router.get("/dump.{ext}", operation_id="dump_get", summary="Whole-graph dump")
@router.head("/dump.{ext}", operation_id="dump_head", summary="Whole-graph dump headers")
def dump(ext: str, request: Request, store: StoreDep) -> Response:
    """The whole graph in the format the extension names, streamed."""
    if ext not in DUMPS:
        raise NotFound(f"no dump /dump.{ext}; there are " + ", ".join(f"/dump.{e}" for e in DUMPS))
    fmt = FORMATS[DUMPS[ext]]
    version = store_version(store)
    headers = {
        "ETag": etag(version.tag),
        "Vary": "Accept-Encoding",
        "Cache-Control": "no-cache",
        "Content-Disposition": f'inline; filename="harmgraph.{ext}"',
    }
    if version.last_import is not None:
        headers["Last-Modified"] = http_date(version.last_import)
    if includes_aiid(store):
        headers["Link"] = f'<{CC_BY_SA}>; rel="license"'
    if not_modified(request.headers, headers["ETag"], version.last_import):
        return Response(status_code=304, headers=headers)
    gzip = accepts_gzip(request.headers.get("accept-encoding"))
    if gzip:
        headers["Content-Encoding"] = "gzip"
    media = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    if request.method == "HEAD":  # no Content-Length: the size is known only once written
        return StreamingResponse(iter(()), headers=headers, media_type=media)
    body = stream(partial(export, store, format=fmt), gzip=gzip)
    return StreamingResponse(body, headers=headers, media_type=media)
