"""Pages in a real browser (Debian chromium via Playwright) over uvicorn on 127.0.0.1.

Swagger UI on /docs renders the API's operations under the Content-Security-Policy,
and neither it nor a resource page makes any request that leaves the server or
logs a console error (a CSP refusal would). On each store backend (tests/backends.py),
with the app served once per backend for the module (tests/api/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.api.browser import NEEDS_CHROMIUM, launch, served
from tests.api.ld_store import loaded_store
from tests.backends import Shared

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM, pytest.mark.usefixtures("backend")]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launch() as browser:
        yield browser


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/docs", ".opblock"), ("/id/incident/inc-26-0068", ".citation"), ("/ontology", "#Incident")],
)
def test_page_renders_offline_without_console_errors(
    shared: Shared, chromium: Browser, path: str, ready: str
) -> None:
    base = served(shared, "loaded", loaded_store)
    page = chromium.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(base + path)
        page.wait_for_selector(ready, timeout=15_000)
        page.wait_for_load_state("networkidle")
        assert page.locator(ready).count() >= 1
        assert [u for u in requests if not u.startswith((base, "data:"))] == []
        assert errors == []
    finally:
        page.close()
