"""The query editor in a real browser: Debian chromium driven by Playwright, uvicorn on 127.0.0.1.

The page loads YASGUI from this server, opens a worked example in a new tab, runs it
against the bundled data and shows result rows. Every request the page makes is
intercepted: anything addressed to a host other than 127.0.0.1 is refused and fails
the test, as does any console error (a CSP violation is one). A screenshot goes to
test-artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect, sync_playwright

from api import editor
from api.main import create_app
from graph.settings import PROJECT_ROOT, Settings
from graph.store import Store
from tests.api.conftest import Serve

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
EXAMPLE = "02-actors-sharing-incidents-with-palantir"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and shutil.which("chromium") is None,
        reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
    pytest.mark.skipif(not editor.yasgui_available(), reason="YASGUI is not installed: run npm ci"),
]


class Watch:
    """What the page did: requests (allowed and refused) and console errors."""

    def __init__(self) -> None:
        self.local: list[str] = []
        self.refused: list[str] = []
        self.errors: list[str] = []

    def route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            self.local.append(url)
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def page(serve: Serve, bundled_store: Store) -> Iterator[tuple[Page, str, Watch]]:
    base = serve(create_app(Settings(store="memory"), bundled_store))
    watch = Watch()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", watch.route)
        tab = context.new_page()
        tab.on("console", watch.console)
        tab.on("pageerror", lambda err: watch.errors.append(f"page error: {err}"))
        try:
            yield tab, base, watch
        finally:
            context.close()
            browser.close()


def test_editor_runs_an_example_and_shows_rows(page: tuple[Page, str, Watch]) -> None:
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
    tab.screenshot(path=str(ARTIFACTS / "editor.png"), full_page=True)

    assert watch.refused == [], f"requests left 127.0.0.1: {watch.refused}"
    assert any(u.endswith("/static/vendor/yasgui/yasgui.min.js") for u in watch.local)
    assert watch.errors == []
