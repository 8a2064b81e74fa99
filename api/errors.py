"""Errors as RFC 9457 problem documents (``application/problem+json``), HTML for browsers.

One renderer, :func:`problem_response`, serves every error: a
:class:`~graph.errors.HarmgraphError` (its status, title, detail and context
fields), Starlette's own HTTP errors (404 for unknown paths, 405), FastAPI's
parameter validation errors (400 naming each parameter), and any other
exception, which is logged with its traceback and answered as a bare 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.negotiation import prefers_html
from api.templating import environment
from graph.errors import HarmgraphError, Overloaded, Unauthorized

log = logging.getLogger("harmgraph.api")

#: Seconds a client shed under load (503 Overloaded) is asked to wait before retrying.
RETRY_AFTER = 1
#: Problem type IRIs are this prefix plus the error's kebab-case slug.
PROBLEM_BASE = "https://w3id.org/harmgraph/problems/"


def error_page(request: Request, *, status: int, title: str, detail: str, slug: str) -> str:
    """The HTML error page: the site's layout (navigation, styles), every value escaped."""
    return (
        environment()
        .get_template("error.html")
        .render(
            request_path=request.url.path,
            status=status,
            title=title,
            detail=detail,
            type=PROBLEM_BASE + slug,
        )
    )


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    slug: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem document, or an HTML page when the client prefers HTML."""
    if prefers_html(request.headers.get("accept")):
        page = error_page(request, status=status, title=title, detail=detail, slug=slug)
        return Response(page, status, headers, media_type="text/html; charset=utf-8")
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    body.update(extra or {})
    return Response(
        json.dumps(body, ensure_ascii=False, default=str),
        status,
        headers,
        media_type="application/problem+json",
    )


async def harmgraph_error(request: Request, exc: Exception) -> Response:
    """Render a HarmgraphError (registered for HarmgraphError only)."""
    assert isinstance(exc, HarmgraphError)  # noqa: S101 - guaranteed by the registration
    headers: dict[str, str] = {}
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="harmgraph"'
    if isinstance(exc, Overloaded):
        headers["Retry-After"] = str(RETRY_AFTER)
    return problem_response(
        request,
        status=exc.status,
        title=exc.title,
        detail=exc.detail,
        slug=exc.type_slug,
        extra=exc.context(),
        headers=headers or None,
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """Render Starlette's HTTP errors (unknown path, method not allowed) as problems."""
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    return problem_response(
        request,
        status=exc.status_code,
        title=title,
        detail=str(exc.detail),
        slug=title.lower().replace(" ", "-"),
        headers=dict(exc.headers or {}),
    )


async def validation_error(request: Request, exc: Exception) -> Response:
    """Render FastAPI's parameter validation errors as a 400 problem naming each parameter."""
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = [
        {
            "parameter": ".".join(str(part) for part in err.get("loc", ())[1:]) or "body",
            "in": str(err.get("loc", ("request",))[0]),
            "message": str(err.get("msg", "")),
        }
        for err in exc.errors()
    ]
    detail = "; ".join(f"{e['in']} parameter {e['parameter']!r}: {e['message']}" for e in errors)
    return problem_response(
        request,
        status=400,
        title="Invalid parameter",
        detail=detail or "invalid request parameters",
        slug="invalid-parameter",
        extra={"errors": errors},
    )


async def internal_error(request: Request, exc: Exception) -> Response:
    """Log an unexpected exception; answer 500 without any traceback."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        status=500,
        title="Internal error",
        detail="an unexpected error happened; it has been logged",
        slug="internal-error",
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(HarmgraphError, harmgraph_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, internal_error)
