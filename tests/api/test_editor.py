"""The query editor page at /sparql and the example routes (api/editor.py, routes/examples.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from api import editor
from api.main import create_app
from graph import model
from graph.examples import load_examples
from graph.settings import Settings
from tests.backends import fresh_store

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # a browser's Accept


#: Every test here runs on each store backend (tests/backends.py): the page and the
#: fallback form query the store.
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(Settings(store="memory"), fresh_store()))


class _Links(HTMLParser):
    """Collects src/href attributes and the data- attributes of #yasgui."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.yasgui: dict[str, str | None] = {}
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        if found.get("id") == "yasgui":
            self.yasgui = found
        self._in_script = tag == "script" and "src" not in found

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def parse(page: str) -> _Links:
    links = _Links()
    links.feed(page)
    return links


def test_browser_gets_the_editor_with_local_assets_only(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": HTML})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = dict(
        d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"  # no inline or remote scripts, ever
    page = parse(response.text)
    assert page.inline_scripts == 0
    assert all(not re.match(r"(?i)^(https?:)?//", u) for u in page.urls), page.urls
    if editor.yasgui_available():
        assert "/static/vendor/yasgui/yasgui.min.js" in page.urls
        assert "/static/editor.js" in page.urls
        assert json.loads(page.yasgui["data-prefixes"] or "") == model.PREFIXES
        assert page.yasgui["data-endpoint"] == "/sparql"
        assert "PREFIX hg: <https://w3id.org/harmgraph/ontology#>" in (
            page.yasgui["data-query"] or ""
        )
    for ex in load_examples():
        assert f"/sparql/examples/{ex.slug}.rq" in page.urls


def test_without_node_modules_the_page_says_how_to_install(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(editor, "yasgui_available", lambda: False)
    page = client.get("/sparql", headers={"Accept": HTML}).text
    assert "run <code>make run</code> (or <code>npm ci</code>" in page.lower()
    assert '<form method="post" action="/sparql"' in page
    assert '<textarea id="query" name="query"' in page
    assert "/static/vendor/yasgui" not in page


def test_the_fallback_form_submits_a_query(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        data={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.json()["boolean"] is False


@pytest.mark.skipif(not editor.yasgui_available(), reason="npm ci has not installed YASGUI")
def test_yasgui_build_is_served(client: TestClient) -> None:
    js = client.get("/static/vendor/yasgui/yasgui.min.js")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert client.get("/static/vendor/yasgui/yasgui.min.css").status_code == 200
    assert client.get("/static/editor.js").status_code == 200


def test_sparql_clients_still_get_the_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


def test_examples_as_json(client: TestClient) -> None:
    body = client.get("/sparql/examples").json()
    slugs = [ex["slug"] for ex in body["examples"]]
    assert slugs == [ex.slug for ex in load_examples()]
    first = body["examples"][0]
    assert set(first) == {"slug", "title", "answers", "tags", "query", "url"}
    assert first["url"].endswith(f"/sparql/examples/{first['slug']}.rq")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/plain"),
        ("application/sparql-query", "application/sparql-query"),
        ("text/*", "text/plain"),
    ],
)
def test_example_text(client: TestClient, accept: str | None, media: str) -> None:
    ex = load_examples()[1]
    headers = {"Accept": accept} if accept else {}
    response = client.get(f"/sparql/examples/{ex.slug}.rq", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media}; charset=utf-8"
    assert response.text == ex.text


def test_unknown_example_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/sparql/examples/no-such-query.rq")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_example_text_not_acceptable(client: TestClient) -> None:
    ex = load_examples()[0]
    response = client.get(f"/sparql/examples/{ex.slug}.rq", headers={"Accept": "image/png"})
    assert response.status_code == 406
