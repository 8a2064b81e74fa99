"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (queries, updates, service description).

The handler reads the body (async, capped at ``max_upload_bytes``); a short query goes
from the event loop straight to a query worker process, everything else that blocks
(pyoxigraph, waiting for a worker) runs in the thread pool. See docs/sparql.md for
formats, limits and errors, docs/performance.md for what a request costs.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api import editor
from api.deps import ExecutorDep, SettingsDep, StoreDep, get_executor, get_settings, get_store
from api.negotiation import negotiate
from api.sparql import description, formats
from api.sparql.analysis import analyse, check_depth, check_remote
from api.sparql.execute import QueryAnswer, QueryJob
from api.sparql.pool import ProcessExecutor, QueryExecutor
from api.sparql.protocol import Operation, parse_request
from api.sparql.update import apply_update, authorize
from graph import model
from graph.errors import LimitExceeded, NotAcceptable, PayloadTooLarge
from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import Store


class _StateRoute(APIRoute):
    """A route whose handler reads its dependencies from ``app.state`` without FastAPI.

    FastAPI solves a route's dependencies on every request; for the endpoint that is
    three attribute reads (:mod:`api.deps`) behind a general machinery that cost about
    0.1 ms of CPU per query, a measurable share of a point lookup (docs/performance.md).
    The route stays an ``APIRoute``, so OpenAPI still documents it from :func:`sparql`'s
    signature.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return _handle


async def _handle(request: Request) -> Response:
    settings, store = await get_settings(request), await get_store(request)
    return await sparql(request, settings, store, await get_executor(request))


router = APIRouter(tags=["sparql"], route_class=_StateRoute)

#: Queries up to this many characters are checked on the event loop, longer ones in a thread.
INLINE_CHECKS = 8_000


@dataclass(frozen=True)
class _Request:
    """What the blocking part needs from the HTTP request."""

    operation: Operation
    accept: str | None
    authorization: str | None
    endpoint: str


async def _body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


# One route per method: FastAPI gives a multi-method route one operationId for all.
@router.get("/sparql", operation_id="sparql_get", summary="SPARQL query (GET)")
@router.post("/sparql", operation_id="sparql_post", summary="SPARQL query or update (POST)")
@router.api_route("/sparql/", methods=["GET", "POST"], include_in_schema=False)
async def sparql(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    executor: ExecutorDep,
) -> Response:
    """Answer a SPARQL query or update (SPARQL 1.1 Protocol)."""
    body = await _body(request, settings.max_upload_bytes) if request.method == "POST" else b""
    operation = parse_request(
        request.method,
        request.query_params.multi_items(),
        request.headers.get("content-type"),
        body,
    )
    req = _Request(
        operation,
        request.headers.get("accept"),
        request.headers.get("authorization"),
        str(request.url).partition("?")[0],  # a request URL has no fragment
    )
    if operation.kind == "none":
        return await run_in_threadpool(_describe, request, req, settings)
    if operation.kind == "update":
        return await run_in_threadpool(_update, req, settings, store, executor)
    if isinstance(executor, ProcessExecutor) and len(operation.text) <= INLINE_CHECKS:
        # A short query is checked on the event loop (well under a millisecond) and goes
        # straight to a worker process: no thread-pool hop (see ProcessExecutor.run_async).
        return _answer(await executor.run_async(_job(req, settings)), settings)
    return await run_in_threadpool(_query, req, settings, executor)


def _describe(request: Request, req: _Request, settings: Settings) -> Response:
    offered = [*formats.GRAPHS, "text/html"]
    chosen = negotiate(req.accept, offered)
    if chosen is None:
        raise NotAcceptable("no acceptable representation of the service", offered=offered)
    if chosen == "text/html":
        return editor.page(request, settings)
    body = description.describe(
        req.endpoint, writable=bool(settings.write_token), format=formats.graph_format(chosen)
    )
    return Response(body, media_type=formats.canonical(chosen), headers={"Vary": "Accept"})


def _query(req: _Request, settings: Settings, executor: QueryExecutor) -> Response:
    return _answer(executor.run(_job(req, settings)), settings)


def _job(req: _Request, settings: Settings) -> QueryJob:
    """Check the query against the limits and negotiate its format: the worker's job."""
    op = req.operation
    if len(op.text) > settings.max_query_length:
        raise LimitExceeded(
            f"the query is {len(op.text)} characters long; the limit is "
            f"{settings.max_query_length} (max_query_length)",
            limit="max_query_length",
            maximum=settings.max_query_length,
        )
    analysis = analyse(op.text, req.endpoint, model.PREFIXES)
    check_depth(analysis, settings.max_query_depth)
    check_remote(analysis, settings.service_allowlist)
    offered = formats.offers(analysis.form or "SELECT")
    # Without a recognisable form the query cannot parse: let pyoxigraph say where.
    chosen = negotiate(req.accept, offered) if analysis.form else offered[0]
    if chosen is None:
        raise NotAcceptable(f"no acceptable format for a {analysis.form} result", offered=offered)
    return QueryJob(
        op.text,
        chosen,
        default_graphs=tuple(op.default_graphs) if op.has_dataset else None,
        named_graphs=tuple(op.named_graphs) if op.has_dataset else None,
        union_default=not analysis.has_dataset,
        base_iri=req.endpoint,
        prefixes=tuple(model.PREFIXES.items()),
        max_rows=settings.max_rows,
    )


def _answer(answer: QueryAnswer, settings: Settings) -> Response:
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["HG-Truncated"] = "true"
        headers["HG-Max-Rows"] = str(settings.max_rows)
    media = answer.media_type
    if media.startswith("text/"):
        media += "; charset=utf-8"
    return Response(answer.body, media_type=media, headers=headers)


def _update(req: _Request, settings: Settings, store: Store, executor: QueryExecutor) -> Response:
    authorize(req.authorization, settings.write_token)
    op = req.operation
    check_depth(analyse(op.text, req.endpoint, model.PREFIXES), settings.max_query_depth)
    apply_update(
        store if isinstance(store, RemoteStore) else store.ox,
        executor,
        op.text,
        using=op.default_graphs,
        using_named=op.named_graphs,
        base_iri=req.endpoint,
        prefixes=model.PREFIXES,
        allowlist=settings.service_allowlist,
    )
    return Response(status_code=204)
