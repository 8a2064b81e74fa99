"""schemathesis against the app's own OpenAPI description: no 5xx, JSON answers match it.

The app runs in process (ASGI) over a throw-away in-memory store holding
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
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.stores import TOKEN, app_for, curated_store

schema = schemathesis.openapi.from_asgi("/openapi.json", app_for(curated_store()))


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
