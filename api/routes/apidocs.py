"""``/docs``: Swagger UI for the OpenAPI description, served by the app itself.

FastAPI's own ``/docs`` loads Swagger UI from a CDN and starts it with an inline
script, which the Content-Security-Policy refuses; this page loads the files of
the ``swagger-ui-bundle`` package from ``/static/swagger/`` and starts Swagger UI
from ``/static/swagger-init.js``.

That package ships Swagger UI 4, which reads OpenAPI 3.0 but not the 3.1 that
FastAPI writes, so the page reads ``/docs/openapi-3.0.json``: the same
description with the few 3.1-only constructs FastAPI uses rewritten in 3.0 terms.
``/openapi.json`` stays the authoritative 3.1 description.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.assets import SWAGGER_PREFIX, swagger_ui_dir
from api.templating import render
from graph.errors import NotFound

router = APIRouter(tags=["docs"])

OPENAPI_30 = "/docs/openapi-3.0.json"


def downgrade(node: Any) -> Any:
    """Rewrite FastAPI's OpenAPI 3.1 schema constructs as OpenAPI 3.0 ones.

    ``anyOf`` with ``{"type": "null"}`` becomes ``nullable``, ``const`` becomes a
    one-value ``enum`` and a list of ``examples`` becomes one ``example``.

    >>> downgrade({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "T"})
    {'title': 'T', 'type': 'string', 'nullable': True}
    >>> downgrade({"const": "a", "examples": [1, 2]})
    {'enum': ['a'], 'example': 1}
    """
    if isinstance(node, list):
        return [downgrade(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: downgrade(v) for k, v in node.items() if k not in ("anyOf", "const", "examples")}
    if "const" in node:
        out["enum"] = [node["const"]]
    if isinstance(node.get("examples"), list) and node["examples"] and "schema" not in node:
        out["example"] = downgrade(node["examples"][0])
    elif "examples" in node:
        out["examples"] = downgrade(node["examples"])
    if "anyOf" in node:
        options = [downgrade(o) for o in node["anyOf"] if o != {"type": "null"}]
        nullable = len(options) < len(node["anyOf"])
        if len(options) == 1 and nullable:
            out.update(options[0])
        else:
            out["anyOf"] = options
        if nullable:
            out["nullable"] = True
    return out


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> Response:
    """The interactive API documentation."""
    if swagger_ui_dir() is None:
        raise NotFound("API docs need the swagger-ui-bundle package; see /openapi.json")
    return render(request, "apidocs.html", {"swagger": SWAGGER_PREFIX, "openapi_url": OPENAPI_30})


@router.get(OPENAPI_30, include_in_schema=False)
def openapi_30(request: Request) -> JSONResponse:
    """The OpenAPI description in 3.0 terms, for Swagger UI 4."""
    schema = downgrade(request.app.openapi())
    schema["openapi"] = "3.0.3"
    return JSONResponse(schema)
