"""Pages in a real browser (Debian chromium via Playwright) over uvicorn on 127.0.0.1.

Swagger UI on /docs renders the API's operations under the Content-Security-Policy,
and neither it nor a resource page makes any request that leaves the server or
logs a console error (a CSP refusal would).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from api.main import create_app
from graph.settings import Settings
from tests.api.conftest import Serve
from tests.api.ld_store import loaded_store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and shutil.which("chromium") is None,
        reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/docs", ".opblock"), ("/id/incident/inc-26-0068", ".citation"), ("/ontology", "#Incident")],
)
def test_page_renders_offline_without_console_errors(
    serve: Serve, browser: Browser, path: str, ready: str
) -> None:
    with loaded_store() as store:
        base = serve(create_app(Settings(store="memory"), store))
        page = browser.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + path)
        page.wait_for_selector(ready, timeout=15_000)
        page.wait_for_load_state("networkidle")
        assert page.locator(ready).count() >= 1
        assert [u for u in requests if not u.startswith((base, "data:"))] == []
        assert errors == []
