"""The OpenAPI description: every operation has its own operationId, and no warning.

FastAPI gives a route that serves several methods one operationId for all of
them and warns "Duplicate Operation ID"; code generators then drop operations.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from typing import Any

from api.main import create_app
from graph.settings import Settings

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _schema() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a duplicate operationId warning fails the test
        schema: dict[str, Any] = create_app(Settings(store="memory")).openapi()
    return schema


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_operation_ids_are_unique() -> None:
    operations = _operations(_schema())
    ids = Counter(op["operationId"] for _, _, op in operations)
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(ids) == len(operations)


def test_sparql_and_dumps_have_one_operation_per_method() -> None:
    schema = _schema()
    assert schema["paths"]["/sparql"]["get"]["operationId"] == "sparql_get"
    assert schema["paths"]["/sparql"]["post"]["operationId"] == "sparql_post"
    assert {m for m in schema["paths"]["/dump.{ext}"] if m in METHODS} == {"get", "head"}


def test_every_operation_is_well_formed() -> None:
    schema = _schema()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "harmgraph"
    for path, method, op in _operations(schema):
        assert path.startswith("/"), path
        assert op["responses"], (path, method)
        names = [(p["name"], p["in"]) for p in op.get("parameters", [])]
        assert len(names) == len(set(names)), (path, method, names)
        templated = set(re.findall(r"\{(\w+)", path))
        declared = {name for name, where in names if where == "path"}
        assert templated == declared, (path, method)


def test_every_operation_documents_its_errors_as_problem_documents() -> None:
    # Parameter errors are 400 problems (api.errors), not FastAPI's 422 application/json.
    schema = _schema()
    assert "Problem" in schema["components"]["schemas"]
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert "application/problem+json" in responses["default"]["content"], (path, method)
        validation = responses.get("422", {}).get("content", {}).get("application/json", {})
        assert "HTTPValidationError" not in str(validation), (path, method)
