"""``/docs``: Swagger UI for the OpenAPI description, served by the app itself.

FastAPI's own ``/docs`` loads Swagger UI from a CDN and starts it with an inline
script, which the Content-Security-Policy refuses; this page loads the files of
the ``swagger-ui-bundle`` package from ``/static/swagger/`` and starts Swagger UI
from ``/static/swagger-init.js``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.assets import SWAGGER_PREFIX, swagger_ui_dir
from api.templating import render
from graph.errors import NotFound

router = APIRouter(tags=["docs"])


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request) -> Response:
    """The interactive API documentation."""
    if swagger_ui_dir() is None:
        raise NotFound("API docs need the swagger-ui-bundle package; see /openapi.json")
    return render(
        request,
        "apidocs.html",
        {"swagger": SWAGGER_PREFIX, "openapi_url": request.app.openapi_url or "/openapi.json"},
    )
