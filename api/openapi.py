"""The OpenAPI description, with the one error shape every route answers.

FastAPI documents each route's success answer and a 422 validation error. harmgraph
answers parameter errors with a 400 problem document instead (:mod:`api.errors`),
and any route can answer 4xx/5xx problems (not found, not acceptable, payload too
large, overloaded, timeout…). This module replaces the 422 entries with a
``default`` response: an RFC 9457 problem document (``application/problem+json``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem document; extension members say where and which limit.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}

PROBLEM_RESPONSE: dict[str, Any] = {
    "description": "An error, as a problem document (an HTML page for browsers)",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def describe(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI description with problem documents as every operation's default."""
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            validation = responses.get("422", {})
            ref = str(validation.get("content", {}).get("application/json", {}).get("schema"))
            if "HTTPValidationError" in ref:
                del responses["422"]
            responses.setdefault("default", PROBLEM_RESPONSE)
    if "HTTPValidationError" not in json.dumps(schema["paths"]):
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
    return schema


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return :func:`describe`'s description (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
