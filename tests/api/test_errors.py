"""api/errors.py: problem+json for API clients, the site's HTML layout for browsers."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.errors import PROBLEM_BASE
from api.main import create_app
from graph.settings import Settings
from tests.backends import fresh_store

#: Every test here runs on each store backend (tests/backends.py): a missing resource is
#: looked up in the store.
pytestmark = pytest.mark.usefixtures("backend")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MARKUP = "/id/actor/%3Cscript%3Ealert(1)%3C%2Fscript%3E"


class Page(HTMLParser):
    """What an error page links, loads and says."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.nav_links: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values.get("href") or "")
        if tag == "nav":
            self._in_nav = True
        if tag == "a" and self._in_nav:
            self.nav_links.append(values.get("href") or "")
        if tag == "script":
            self.scripts.append(values.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _app() -> FastAPI:
    app = create_app(Settings(store="memory"), fresh_store())

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


def test_browser_error_page_uses_the_site_layout(client: TestClient) -> None:
    answer = client.get("/id/actor/nobody", headers={"Accept": BROWSER})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    page = Page()
    page.feed(answer.text)
    assert "/static/harmgraph.css" in page.stylesheets
    assert {"/", "/sparql", "/ontology"} <= set(page.nav_links)
    assert all(src.startswith("/static/") for src in page.scripts)
    text = " ".join(page.text)
    assert "404 Not found" in text
    assert "no resource https://w3id.org/harmgraph/id/actor/nobody" in text
    assert PROBLEM_BASE + "not-found" in text


def test_browser_error_page_escapes_the_detail(client: TestClient) -> None:
    answer = client.get(MARKUP, headers={"Accept": BROWSER})
    assert answer.status_code == 404
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text


def test_problem_json_is_unchanged(client: TestClient) -> None:
    answer = client.get(MARKUP, headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": PROBLEM_BASE + "not-found",
        "title": "Not found",
        "status": 404,
        "detail": "no resource https://w3id.org/harmgraph/id/actor/<script>alert(1)</script>"
        " in this graph",
    }


def test_unknown_path_and_internal_error_pages(client: TestClient) -> None:
    unknown = client.get("/no/such/page", headers={"Accept": BROWSER})
    assert unknown.status_code == 404
    assert '<nav aria-label="' in unknown.text or "<nav>" in unknown.text
    broken = client.get("/boom", headers={"Accept": BROWSER})
    assert broken.status_code == 500
    assert "500 Internal error" in broken.text
    assert "secret internals" not in broken.text
    assert "/static/harmgraph.css" in broken.text
    problem = client.get("/boom", headers={"Accept": "application/json"})
    assert problem.json()["type"] == PROBLEM_BASE + "internal-error"
    assert "secret internals" not in problem.text


def test_invalid_query_parameter_is_a_problem_naming_the_parameter(client: TestClient) -> None:
    # Regression: FastAPI's own validation answered 422 application/json, not a problem.
    answer = client.get("/search.json?q=ice&limit=lots")
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"] == PROBLEM_BASE + "invalid-parameter"
    assert problem["errors"][0]["parameter"] == "limit"
    assert "limit" in problem["detail"]
