"""schemathesis against the app's own OpenAPI description: no 5xx, JSON answers match it.

The app runs in process (ASGI) over a throw-away store of each backend holding
INC-26-0068, with a write token sent on every call, so write operations are
exercised too. Examples per operation are bounded to keep the run short.

Checked: no server error, no traceback, every status code is documented (each
operation's errors are a ``default`` problem document, :mod:`api.openapi`), and
every answer whose status and media type the description documents matches the
documented schema. Not checked (yet): that every success media type is documented —
routes also answer HTML, Turtle and other RDF formats by content negotiation.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from starlette.types import Receive, Scope, Send

from graph.store import Store
from tests.api.stores import TOKEN, app_for, curated_store
from tests.backends import Shared

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend", "backend_app")


class Current:
    """An ASGI app that passes each call on to the app of the backend under test."""

    def __init__(self) -> None:
        self.app: FastAPI = app_for(Store.open("memory"))  # the description is the same

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


CURRENT = Current()
schema = schemathesis.openapi.from_asgi("/openapi.json", CURRENT)


@pytest.fixture
def backend_app(backend: str, shared: Shared) -> None:
    """Point the tested app at one store per backend, shared by every operation's test."""
    CURRENT.app = shared.get("curated", lambda: app_for(curated_store()))


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    assert "Traceback" not in response.text and 'File "' not in response.text
    case.validate_response(
        response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
    )
