"""Shared by the browser tests: Debian chromium via Playwright, and apps served once per backend.

A page is cheap and a browser launch or a served app over the bundled data is not, so
each browser test module launches chromium once (:func:`launch`) and serves each app
once per store backend (:func:`served`); every test opens its own browser context.
The tests only read the stores they are served from.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Route, sync_playwright

from api.main import create_app
from graph.settings import Settings
from graph.store import Store
from tests.api.conftest import serving
from tests.backends import Shared

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
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
)


@contextmanager
def launch() -> Iterator[Browser]:
    """Chromium, headless, closed on leaving the block."""
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def served(
    shared: Shared, name: str, store: Callable[[], Store], *, own_server: bool = True
) -> str:
    """Base URL of an app over ``store()`` under uvicorn, started once per backend."""

    def start() -> str:
        app = create_app(Settings(store="memory"), store())
        serve = shared.cleanup.enter_context(serving())  # stops before the store closes
        return serve(app)

    return shared.get(name, start, own_server=own_server)


def bundled(backend: str, shared: Shared, request: pytest.FixtureRequest) -> str:
    """Base URL of the app over the bundled data of ``backend`` (read only)."""

    def store() -> Store:
        if backend == "embedded":
            embedded: Store = request.getfixturevalue("bundled_store")
            return embedded
        if backend == "virtuoso":
            virtuoso = request.getfixturevalue("bundled_virtuoso")
            return shared.cleanup.enter_context(Store.open(virtuoso.url, virtuoso.settings()))
        url: str = request.getfixturevalue("bundled_server_url")
        remote = Store.open(url, Settings(store=url, store_union_default_graph=True))
        return shared.cleanup.enter_context(remote)

    return served(shared, "bundled", store, own_server=False)


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
