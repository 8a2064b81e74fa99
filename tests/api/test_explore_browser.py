"""The explorer in a real browser: Debian chromium driven by Playwright, uvicorn on 127.0.0.1.

Against the whole bundled graph: the Palantir→ICE path page draws the path's nodes and
writes its sentences; clicking a node opens its details; ticking a filter and
submitting changes what is drawn; the PNG button downloads a PNG; the nav search box
suggests ICE for "ICE". Against a store holding the XSS fixture: no dialog opens and no
``<img src=x>`` element exists. Every request is intercepted: anything addressed to a
host other than 127.0.0.1 fails the test, as does any console error (a CSP violation
is one). Screenshots go to test-artifacts/.

On each store backend (tests/backends.py); each app is served once per backend for the
module (tests/api/browser.py), since the tests only read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from api.drawing import vis_network_dir
from graph.settings import PROJECT_ROOT
from tests.api.browser import NEEDS_CHROMIUM, Watch, bundled, launch, served
from tests.api.explore_data import ICE, XSS_ACTOR, explorer_store
from tests.api.ld_store import PALANTIR
from tests.backends import Shared, active

ARTIFACTS = PROJECT_ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
    pytest.mark.skipif(vis_network_dir() is None, reason="pyvis (vis-network) is not installed"),
    pytest.mark.usefixtures("backend"),
]

#: Opens a chromium tab on the app at a base URL: the tab, the base URL, what it did.
Open = Callable[[str], tuple[Page, str, Watch]]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launch() as browser:
        yield browser


@pytest.fixture
def bundled_app(backend: str, shared: Shared, request: pytest.FixtureRequest) -> str:
    """The app over the bundled data of this backend, served once for the module."""
    return bundled(backend, shared, request)


@pytest.fixture
def xss_app(shared: Shared) -> str:
    """The app over INC-26-0068 and the XSS fixture, served once per backend."""
    return served(shared, "xss", explorer_store)


@pytest.fixture
def open_app(chromium: Browser) -> Iterator[Open]:
    """Open chromium tabs (one context per test) that watch every request."""
    watches: list[Watch] = []
    context = chromium.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)

    def start(base: str) -> tuple[Page, str, Watch]:
        watch = Watch()
        context.route("**/*", watch.route)
        tab = context.new_page()
        tab.on("console", watch.console)
        tab.on("pageerror", lambda err: watch.errors.append(f"page error: {err}"))
        watches.append(watch)
        return tab, base, watch

    try:
        yield start
    finally:
        context.close()
    for watch in watches:
        assert watch.refused == [], f"requests left 127.0.0.1: {watch.refused}"
        assert watch.errors == [], f"console errors: {watch.errors}"


def _drawn(tab: Page) -> list[str]:
    tab.wait_for_selector("#graph[data-state='ready']")
    ids: list[str] = tab.evaluate("window.harmgraphNetwork.nodes.getIds()")
    return ids


def _click_node(tab: Page, node: str) -> None:
    """Click where vis-network drew ``node`` (scrolled into view first)."""
    canvas = tab.locator("#graph canvas")
    canvas.scroll_into_view_if_needed()
    point = tab.evaluate(
        """(id) => {
            const net = window.harmgraphNetwork.network;
            return net.canvasToDOM(net.getPositions([id])[id]);
        }""",
        node,
    )
    box = canvas.bounding_box()
    assert box is not None
    assert 0 <= point["x"] <= box["width"] and 0 <= point["y"] <= box["height"], point
    tab.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def _shot(tab: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = "" if active() == "embedded" else f"-{active()}"
    tab.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)


def test_path_page_draws_palantir_to_ice(open_app: Open, bundled_app: str) -> None:
    tab, base, watch = open_app(bundled_app)
    tab.goto(f"{base}/path?from=palantir&to=ice")
    ids = _drawn(tab)
    assert PALANTIR in ids and ICE in ids
    assert any("/incident/" in i for i in ids)
    sentences = tab.locator("p.sentence")
    expect(sentences.first).to_contain_text("U.S. Immigration and Customs Enforcement")
    expect(tab.locator("ol.path-list")).to_contain_text("INC-26-0068")
    assert tab.locator("canvas").count() == 1
    _shot(tab, "explorer-path-palantir-ice")
    assert any(u.endswith("/static/vendor/vis/vis-network.min.js") for u in watch.local)


def test_clicking_a_node_opens_its_details(open_app: Open, bundled_app: str) -> None:
    tab, base, _ = open_app(bundled_app)
    tab.goto(f"{base}/path?from=palantir&to=ice")
    _drawn(tab)
    _click_node(tab, ICE)
    details = tab.locator("#details")
    expect(details.locator("h3")).to_have_text("U.S. Immigration and Customs Enforcement")
    expect(details.locator("a.detail-page")).to_have_attribute(
        "href", "/id/actor/us-immigration-and-customs-enforcement"
    )
    _shot(tab, "explorer-details")


def test_clicking_an_edge_lists_its_newest_incidents(open_app: Open, bundled_app: str) -> None:
    tab, base, watch = open_app(bundled_app)
    tab.goto(f"{base}/network?focus=ice&mode=actors")
    _drawn(tab)
    edge = tab.evaluate(
        """() => window.harmgraphNetwork.edges.get()
            .sort((a, b) => b.incidentCount - a.incidentCount)[0]"""
    )
    tab.evaluate(
        "(id) => window.harmgraphNetwork.network.emit('click', {nodes: [], edges: [id]})",
        edge["id"],
    )
    details = tab.locator("#details")
    count = edge["incidentCount"]
    expect(details.locator("h4")).to_have_text("Incident" if count == 1 else f"{count} incidents")
    expect(details.locator("ul.edge-incidents > li")).to_have_count(len(edge["incidents"]))
    expect(details.locator("ul.edge-incidents a.incident-link").first).to_have_attribute(
        "href", re.compile(r"^/id/incident/")
    )
    assert details.locator("ul.hop-sources a.external").count() > 0
    if count > len(edge["incidents"]):
        expect(details.locator("a.edge-all")).to_have_attribute(
            "href", "/network.json?focus=ice&mode=actors"
        )
    _shot(tab, "explorer-edge-details")


def test_filters_change_what_is_drawn(open_app: Open, bundled_app: str) -> None:
    tab, base, _ = open_app(bundled_app)
    tab.goto(f"{base}/network?focus=ice&hops=2")
    before = len(_drawn(tab))
    tab.locator("details.filters-box > summary").click()
    tab.locator("form.explore-form input[name='status'][value='confirmed']").check()
    with tab.expect_navigation():
        tab.locator("form.explore-form button[type='submit']").click()
    assert "status=confirmed" in tab.url
    after = len(_drawn(tab))
    assert 0 < after < before
    _shot(tab, "explorer-network-ice-confirmed")


def test_png_button_downloads_an_image(open_app: Open, bundled_app: str) -> None:
    tab, base, _ = open_app(bundled_app)
    tab.goto(f"{base}/network?focus=palantir")
    _drawn(tab)
    with tab.expect_download() as download:
        tab.click("#png-button")
    path = download.value.path()
    assert path is not None
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 2000  # not an empty canvas
    assert download.value.suggested_filename.endswith(".png")


def test_nav_search_suggests_ice_first(open_app: Open, bundled_app: str) -> None:
    tab, base, _ = open_app(bundled_app)
    # The first search builds the network index (seconds on a loaded CI machine); this
    # test is about the suggestions, so build it before typing.
    assert httpx.get(f"{base}/search.json?q=ICE", timeout=60).status_code == 200
    tab.goto(f"{base}/")
    tab.fill("#site-search", "ICE")
    first = tab.locator("#site-search-suggestions li a").first
    expect(first).to_have_text("U.S. Immigration and Customs Enforcement", timeout=15_000)
    _shot(tab, "explorer-typeahead")
    with tab.expect_navigation():
        first.click()
    assert tab.url.endswith("/id/actor/us-immigration-and-customs-enforcement")
    expect(tab.locator("h2", has_text="Incidents by role")).to_be_visible()


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=markup",
        "/id/actor/xss-markup-actor",
        "/id/incident/xss-test-1",
        "/network?focus=xss-markup-actor",
        f"/path?from={XSS_ACTOR}&to=palantir",
    ],
)
def test_markup_in_data_never_runs(open_app: Open, xss_app: str, url: str) -> None:
    tab, base, _ = open_app(xss_app)
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(base + url)
    if tab.locator("#graph").count():
        ids = _drawn(tab)
        # Hover and click every node: tooltips and the details panel render data too.
        for node in ids:
            _click_node(tab, node)
    tab.fill("#site-search", "markup")
    expect(tab.locator("#site-search-suggestions li").first).to_be_visible()
    assert dialogs == []
    assert tab.locator("img[src='x']").count() == 0
    assert tab.locator("script:not([src]):not([type='application/json'])").count() == 0
