"""The write API: ``POST /incidents`` and ``DELETE /incidents/{slug}``, token-protected.

POST takes Turtle, JSON-LD, N-Triples, N-Quads or TriG and goes through the same
validate-then-write path as the CLI (:func:`graph.ingest.import_graph`): nothing
is written unless every incoming incident conforms to the shapes, and then all of
it is written in one transaction. Checks run cheapest first — token (401/403),
media type (415), size (413), syntax (400 with line and column), shapes (422 with
the report) — and each error leaves the store as it was.

Lost updates: every answer carries the incidents' ETags; a client that sends
``If-Match`` with the tag it read gets 409 if the incident changed meanwhile, and
``If-None-Match: *`` refuses to replace an existing incident. Without either,
the last writer wins and the 201 body lists what it replaced (with the replaced
description's tag). Writes hold the query executor's write lock
(``app.state.queries.writing()``) and one process-wide lock, so a check and the
write it guards are not interleaved with another write. See docs/api.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool

from api.auth import authorize
from api.conditional import etag, matches
from api.deps import ExecutorDep, SettingsDep, StoreDep
from api.negotiation import negotiate
from api.sparql.pool import QueryExecutor
from api.uploads import read_body
from graph import model
from graph.errors import BadRequest, Conflict, NotFound, ShapeViolations, UnsupportedFormat
from graph.ingest import delete_incident, import_graph
from graph.io import FORMATS, Format, parse
from graph.settings import Settings
from graph.store import Store
from graph.validation import get_validator
from graph.versions import incident_version

router = APIRouter(tags=["incidents"])

#: Graphs the write API never writes into: provenance and vocabularies.
RESERVED_GRAPHS = (model.META_GRAPH, model.VOCAB_GRAPH)
#: Accepted request media types (the formats of graph.io).
MEDIA_TYPES = {f.media_type: f for f in FORMATS.values()}
# One writer at a time in this process: the in-memory executor's writing() does not
# exclude other writers, and a precondition check must see the state it guards.
_WRITE_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Preconditions:
    if_match: str | None
    if_none_match: str | None


def _format(content_type: str | None, content_encoding: str | None) -> Format:
    if content_encoding and content_encoding.strip().lower() != "identity":
        raise UnsupportedFormat(
            f"request bodies must not be encoded (Content-Encoding: {content_encoding})"
        )
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise UnsupportedFormat(
            f"unsupported Content-Type {media or '(none)'!r}; send one of " + ", ".join(MEDIA_TYPES)
        )
    return MEDIA_TYPES[media]


def _graph(name: str) -> URIRef:
    try:
        iri = model.named_graph(name)
    except ValueError:
        raise BadRequest(f"graph name {name!r} has no letters or digits") from None
    if iri in RESERVED_GRAPHS:
        raise BadRequest(f"the {name!r} graph is reserved; write incidents into another graph")
    return iri


@router.post("/incidents", status_code=201)
async def post_incidents(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    executor: ExecutorDep,
    graph: Annotated[str, Query(description="named graph to write into (short name)")] = "api",
) -> Response:
    """Validate incidents (RDF body) and write them atomically; 201 with their IRIs."""
    authorize(request.headers.get("authorization"), settings.write_token)
    fmt = _format(request.headers.get("content-type"), request.headers.get("content-encoding"))
    target = _graph(graph)
    body = await read_body(request, settings.max_upload_bytes)
    conditions = _Preconditions(
        request.headers.get("if-match"), request.headers.get("if-none-match")
    )
    try:
        result = await run_in_threadpool(
            _write, body, fmt, target, settings, store, executor, conditions
        )
    except ShapeViolations as err:
        wanted = negotiate(request.headers.get("accept"), ["application/json", "text/turtle"])
        if wanted != "text/turtle":
            raise
        return Response(err.report.to_turtle(), 422, media_type="text/turtle; charset=utf-8")
    first = result["incidents"][0]
    headers = {"Location": first, "ETag": etag(result["etags"][first])}
    return JSONResponse(result, status_code=201, headers=headers)


def _incidents(data: Graph) -> list[URIRef]:
    """The IRIs typed hg:Incident in the body (in any graph of a dataset), sorted."""
    if isinstance(data, Dataset):
        found = {s for s, _, _, _ in data.quads((None, RDF.type, model.HG.Incident, None))}
    else:
        found = set(data.subjects(RDF.type, model.HG.Incident))
    return sorted((s for s in found if isinstance(s, URIRef)), key=str)


def _write(
    body: bytes,
    fmt: Format,
    target: URIRef,
    settings: Settings,
    store: Store,
    executor: QueryExecutor,
    conditions: _Preconditions,
) -> dict[str, Any]:
    data = parse(body, fmt, source_name="request body")
    incidents = _incidents(data)
    if not incidents:
        raise BadRequest("the body describes no hg:Incident (a subject typed hg:Incident)")
    validator = get_validator(settings)
    with _WRITE_LOCK, executor.writing():
        before = {str(i): incident_version(store, str(i)) for i in incidents}
        _check(conditions, before)
        summary = import_graph(
            store, data, graph_name=str(target), source="HTTP POST /incidents", validator=validator
        )
        after = {str(i): incident_version(store, str(i)) or "" for i in incidents}
    return {
        "incidents": [str(i) for i in incidents],
        "graph": str(summary.graph),
        "added": summary.incidents_added,
        "updated": summary.incidents_updated,
        "triples": summary.triples,
        "replaced": [{"incident": i, "etag": etag(t)} for i, t in before.items() if t],
        "etags": after,
    }


def _check(conditions: _Preconditions, current: dict[str, str | None]) -> None:
    """Refuse a write whose preconditions fail (409, nothing written)."""
    if conditions.if_none_match is not None and conditions.if_none_match.strip() == "*":
        existing = [i for i, tag in current.items() if tag]
        if existing:
            raise Conflict(f"If-None-Match: * but {', '.join(existing)} already exists")
    if conditions.if_match is not None:
        for incident, tag in current.items():
            if tag is None or not matches(conditions.if_match, etag(tag)):
                now = etag(tag) if tag else "no stored description"
                raise Conflict(
                    f"{incident} changed since it was read (If-Match {conditions.if_match}; "
                    f"current {now}); nothing was written"
                )


@router.delete("/incidents/{slug}", status_code=204)
@router.delete("/id/incident/{slug}", status_code=204, include_in_schema=False)
def delete(
    slug: str,
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    executor: ExecutorDep,
) -> Response:
    """Delete an incident's description from every graph, atomically; 204, or 404."""
    authorize(request.headers.get("authorization"), settings.write_token)
    try:
        iri = model.mint("incident", slug)
    except ValueError:
        raise NotFound(f"no incident {slug!r}") from None
    if not str(iri).endswith(f"/{slug}"):
        raise NotFound(f"no incident {slug!r} (incident slugs are lower case: {iri})")
    if_match = request.headers.get("if-match")
    with _WRITE_LOCK, executor.writing():
        current = incident_version(store, str(iri))
        if current is not None and if_match is not None:
            _check(_Preconditions(if_match, None), {str(iri): current})
        delete_incident(store, str(iri))  # NotFound when there is no such incident
    return Response(status_code=204)
