"""HTML pages load nothing from elsewhere; /docs, /ontology and /shapes work offline.

Covers api/routes/apidocs.py, api/routes/ontology.py, api/security.py and
api/assets.py: every generated page is checked for external ``src`` and
``<link href>``/script URLs (links to sources in ``<a href>`` are fine) and
for inline scripts, which the Content-Security-Policy would refuse.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from api.main import create_app
from api.security import CONTENT_SECURITY_POLICY
from graph.ontology_docs import ontology_doc, shapes_doc
from graph.settings import Settings, get_settings
from tests.api.ld_store import loaded_store
from tests.backends import Shared

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = (
    "/",
    "/id/incident/inc-26-0068",
    "/id/actor/palantir",
    "/id/source/065388d1bc61d49b",
    "/vocab/severity",
    "/vocab/severity/high",
    "/ontology",
    "/shapes",
    "/docs",
    "/id/actor/no-such-actor",
)


class Resources(HTMLParser):
    """Collects what a page loads (src, link href) and inline script bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("src"):
            self.loads.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"] or "")
        if "style" in values:
            self.style_attributes += 1
        self._in_script = tag == "script" and not values.get("src")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


#: Every test here runs on each store backend (tests/backends.py): entity and vocabulary
#: pages come from the store.
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def client(backend: str, shared: Shared) -> TestClient:
    """One app over :func:`loaded_store` per backend for the module: its tests only read."""

    def build() -> TestClient:
        store = shared.cleanup.enter_context(loaded_store())
        return shared.cleanup.enter_context(TestClient(create_app(Settings(store="memory"), store)))

    return shared.get("client", build)


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    parser = Resources()
    parser.feed(response.text)
    external = [u for u in parser.loads if u.startswith(("http:", "https:", "//"))]
    assert external == []
    assert parser.inline_scripts == 0
    assert parser.style_attributes == 0
    if response.status_code == 200:
        for url in parser.loads:
            assert client.get(url.split("#")[0]).status_code == 200, url


@pytest.mark.parametrize("path", ["/", "/ontology", "/docs", "/id/actor/palantir"])
def test_html_pages_carry_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path, headers={"Accept": BROWSER}).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"]


def test_docs_serve_swagger_ui_from_the_app(client: TestClient) -> None:
    page = client.get("/docs").text
    assert 'src="/static/swagger/swagger-ui-bundle.js"' in page
    script = client.get("/static/swagger/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    init = client.get("/static/swagger-init.js").text
    assert "validatorUrl: null" in init  # no badge fetched from validator.swagger.io
    paths = client.get("/openapi.json").json()["paths"]
    assert "/id/{path}" in paths
    assert "/ontology" in paths


def test_ontology_page_documents_every_term_with_an_anchor(client: TestClient) -> None:
    page = client.get("/ontology", headers={"Accept": BROWSER}).text
    doc = ontology_doc(get_settings().ontology_dir)
    assert len(doc.classes) >= 9
    assert len(doc.properties) >= 20
    for term in (*doc.classes, *doc.properties):
        assert f'id="{term.anchor}"' in page
    assert "airo:AISystem" in page  # alignment of hg:AISystem
    assert "hg:threatPattern" in page  # superproperty of hg:primaryThreatPattern


def test_shapes_page_shows_each_property_shape_with_severity_and_message(
    client: TestClient,
) -> None:
    page = client.get("/shapes", headers={"Accept": BROWSER}).text
    doc = shapes_doc(get_settings().shapes_dir)
    incident = next(s for s in doc.shapes if s.curie == "hgsh:Incident")
    assert {p.severity for p in incident.properties} == {"Violation", "Warning", "Info"}
    for prop in incident.properties:
        assert prop.message, prop.name
        assert f'id="{prop.name.split(":", 1)[1]}"' in page
        assert str(escape(prop.message)) in page


def test_docs_read_an_openapi_30_description_swagger_ui_4_understands(client: TestClient) -> None:
    full = client.get("/openapi.json").json()
    downgraded = client.get("/docs/openapi-3.0.json")
    assert full["openapi"].startswith("3.1")
    assert downgraded.json()["openapi"] == "3.0.3"
    assert '"type":"null"' not in downgraded.text.replace(" ", "")
    assert downgraded.json()["paths"].keys() == full["paths"].keys()
