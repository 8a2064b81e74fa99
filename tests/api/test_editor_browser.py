"""The query editor in a real browser: Debian chromium driven by Playwright, uvicorn on 127.0.0.1.

The page loads YASGUI from this server, opens a worked example in a new tab, runs it
against the bundled data (on each store backend, tests/backends.py) and shows result
rows. Every request the page makes is intercepted: anything addressed to a host other
than 127.0.0.1 is refused and fails the test, as does any console error (a CSP
violation is one). A screenshot goes to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from api import editor
from graph.settings import PROJECT_ROOT
from tests.api.browser import NEEDS_CHROMIUM, Watch, bundled, launch
from tests.backends import Shared

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
EXAMPLE = "02-actors-sharing-incidents-with-palantir"

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
    pytest.mark.skipif(not editor.yasgui_available(), reason="YASGUI is not installed: run npm ci"),
    pytest.mark.usefixtures("backend"),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launch() as browser:
        yield browser


@pytest.fixture
def page(
    backend: str, shared: Shared, request: pytest.FixtureRequest, chromium: Browser
) -> Iterator[tuple[Page, str, Watch]]:
    base = bundled(backend, shared, request)
    watch = Watch()
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.on("console", watch.console)
    tab.on("pageerror", lambda err: watch.errors.append(f"page error: {err}"))
    try:
        yield tab, base, watch
    finally:
        context.close()


def test_editor_runs_an_example_and_shows_rows(backend: str, page: tuple[Page, str, Watch]) -> None:
    tab, base, watch = page
    tab.goto(f"{base}/sparql")
    tab.wait_for_selector(".yasgui .CodeMirror")

    tab.click(f"a.example[data-slug='{EXAMPLE}']")
    active = tab.locator(".tabPanel.active")
    active_tab = tab.locator(".yasgui .tabsList .tab.active")
    expect(active_tab).to_contain_text("Actors that share incidents with Palantir")
    expect(active.locator(".CodeMirror")).to_contain_text("actor:palantir")

    with tab.expect_response(lambda r: r.url == f"{base}/sparql" and r.request.method == "POST"):
        active.locator(".yasqe_queryButton").click()
    table = active.locator(".yasr table.dataTable")
    expect(table).to_contain_text("U.S. Immigration and Customs Enforcement")
    assert table.locator("tbody tr").count() >= 1

    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"editor-{backend}.png"), full_page=True)

    assert watch.refused == [], f"requests left 127.0.0.1: {watch.refused}"
    assert any(u.endswith("/static/vendor/yasgui/yasgui.min.js") for u in watch.local)
    assert watch.errors == []
