"""Static files and security headers: ``/static`` (ours) and ``/static/swagger`` (Swagger UI).

Swagger UI comes from the ``swagger-ui-bundle`` package (its vendored build),
found without importing it; when the package is missing, ``/docs`` says so
instead of loading anything from a CDN.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from api.security import SecurityHeaders
from api.templating import STATIC

SWAGGER_PREFIX = "/static/swagger"


def swagger_ui_dir() -> Path | None:
    """The directory holding ``swagger-ui-bundle.js`` and ``swagger-ui.css``, if installed."""
    spec = importlib.util.find_spec("swagger_ui_bundle")
    if spec is None or spec.origin is None:
        return None
    found = sorted((Path(spec.origin).parent / "vendor").glob("swagger-ui-*/swagger-ui-bundle.js"))
    return found[-1].parent if found else None


def install(app: FastAPI) -> None:
    """Mount the static files and add the security headers middleware."""
    swagger = swagger_ui_dir()
    if swagger is not None:
        # Mounted before /static: Starlette matches mounts in order.
        app.mount(SWAGGER_PREFIX, StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
