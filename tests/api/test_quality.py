"""The data-quality report in the service: /quality and /quality.json (api/quality.py,
api/routes/quality.py), on a small store — never the whole bundled data."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.quality import Pending, QualityCache, validating
from graph.errors import StoreError
from graph.quality import QualitySummary
from graph.settings import Settings
from graph.store import Store
from tests.api.conftest import Serve
from tests.graph.quality_data import WARNED, quality_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SETTINGS = Settings(store="memory")


def _app(store: Store) -> FastAPI:
    return create_app(SETTINGS, store)


@pytest.fixture
def ready() -> Iterator[TestClient]:
    """A client whose report is computed (started by the app's start-up, as in service)."""
    app = _app(quality_store())
    with TestClient(app) as client:  # runs the lifespan: the report starts computing
        assert app.state.quality.wait(60)
        yield client


def test_the_report_is_computed_at_start_up_without_a_request() -> None:
    app = _app(quality_store())
    with TestClient(app):
        cache: QualityCache = app.state.quality
        assert cache.wait(60)
        state = cache.get(app.state.store)
        assert isinstance(getattr(state, "summary", None), QualitySummary)


def test_while_computing_json_is_202_with_retry_after_and_html_refreshes() -> None:
    release = threading.Event()
    compute = validating(SETTINGS)

    def blocked(store: Store, progress: object) -> QualitySummary:
        assert release.wait(30)
        return compute(store, progress)  # type: ignore[arg-type]

    app = _app(quality_store())
    app.state.quality = QualityCache(blocked)
    client = TestClient(app)  # no lifespan: the first request starts the computation
    answer = client.get("/quality.json")
    assert answer.status_code == 202
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["status"] == "computing"
    page = client.get("/quality?dataset=aiid", headers={"Accept": BROWSER})
    assert page.status_code == 202
    assert '<meta http-equiv="refresh" content="5">' in page.text
    assert 'href="/quality?dataset=aiid"' in page.text
    assert "<script>" not in page.text.split("</head>")[1]  # no inline script
    release.set()
    assert app.state.quality.wait(30)
    assert client.get("/quality.json").status_code == 200


def test_json_counts_per_shape_dataset_and_incident(ready: TestClient) -> None:
    data = ready.get("/quality.json").json()
    assert data["status"] == "ready"
    assert (data["summary"]["incidents"], data["summary"]["complete"]) == (2, 1)
    assert data["summary"]["results"] == {"Violation": 0, "Warning": 2, "Info": 2}
    assert data["summary"]["datasets"]["aiid"]["with_warnings"] == 1
    paths = {s["path"]: s for s in data["summary"]["shapes"]}
    assert paths["hg:severity"]["message"].startswith("Incident severity is not assessed")
    first = data["incidents"][0]
    assert (first["incident"], first["href"]) == (WARNED, "/id/incident/test-warned")
    assert first["counts"] == {"Violation": 0, "Warning": 2, "Info": 1}


@pytest.mark.parametrize(
    ("query", "identifiers"),
    [
        ("", ["TEST-WARNED", "INC-26-0068"]),
        ("?severity=Warning", ["TEST-WARNED"]),
        ("?dataset=curated", ["INC-26-0068"]),
        ("?dataset=curated&severity=Warning", []),
        ("?severity=Info&dataset=aiid", ["TEST-WARNED"]),
        ("?shape=hgsh:Incident-factor", ["TEST-WARNED"]),
        ("?dataset=nowhere", []),
        ("?dataset=&severity=", ["TEST-WARNED", "INC-26-0068"]),  # the form's "all"
    ],
)
def test_filters_by_dataset_severity_and_shape(
    ready: TestClient, query: str, identifiers: list[str]
) -> None:
    data = ready.get("/quality.json" + query).json()
    assert [i["identifier"] for i in data["incidents"]] == identifiers
    assert data["matching"] == len(identifiers)
    if "severity=Warning" in query and identifiers:
        assert {lack["severity"] for i in data["incidents"] for lack in i["lacks"]} == {"Warning"}


def test_pages_are_shareable_urls(ready: TestClient) -> None:
    first = ready.get("/quality.json?per_page=1").json()
    assert (first["pages"], first["prev"], first["next"]) == (2, None, "/quality?page=2&per_page=1")
    second = ready.get("/quality.json?per_page=1&page=2").json()
    assert [i["identifier"] for i in second["incidents"]] == ["INC-26-0068"]
    assert second["prev"] == "/quality?per_page=1"  # page 1 is the default
    html = ready.get("/quality?per_page=1", headers={"Accept": BROWSER}).text
    assert 'href="/quality?page=2&amp;per_page=1" rel="next"' in html


def test_html_page_escapes_data_and_is_in_the_nav(ready: TestClient) -> None:
    answer = ready.get("/quality", headers={"Accept": BROWSER})
    assert answer.status_code == 200
    html = answer.text
    assert "Test incident &lt;b&gt;markup&lt;/b&gt; &amp; warnings" in html
    assert "<b>markup</b>" not in html
    assert '<a href="/quality" aria-current="page">Data quality</a>' in html
    assert 'href="/quality?dataset=aiid&amp;severity=Warning"' in html
    assert 'href="/quality?shape=hgsh%3AIncident-factor"' in html
    loads = re.findall(r'(?:src|<link[^>]*href)="([^"]+)"', html)
    assert loads and all(url.startswith("/") for url in loads)


def test_accept_json_on_quality_and_home_links_it(ready: TestClient) -> None:
    assert ready.get("/quality", headers={"Accept": "application/json"}).json()["status"] == "ready"
    home = ready.get("/", headers={"Accept": BROWSER}).text
    assert '<a href="/quality">/quality</a>' in home
    assert "/quality" in ready.get("/index.json").json()["links"]


@pytest.mark.parametrize("query", ["?severity=Fatal", "?page=0", "?per_page=501"])
def test_bad_parameters_are_a_400_problem(ready: TestClient, query: str) -> None:
    answer = ready.get("/quality.json" + query)
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_changed_store_is_validated_again(ready: TestClient) -> None:
    app = ready.app
    store: Store = app.state.store  # type: ignore[attr-defined]
    store.update(
        "DELETE WHERE { GRAPH ?g { <https://w3id.org/harmgraph/id/incident/test-warned> "
        "<https://w3id.org/harmgraph/ontology#severity> ?s } }"
    )
    assert ready.get("/quality.json").status_code == 202
    assert app.state.quality.wait(60)  # type: ignore[attr-defined]
    data = ready.get("/quality.json").json()
    assert data["summary"]["results"]["Violation"] == 1  # severity is required


def test_a_store_closed_while_the_app_stops_is_not_a_failed_report(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # On a remote store the report was still computing when the test closed the store
    # after the app stopped: each time, "the data-quality report failed" with a traceback.
    release = threading.Event()

    def cut_off(store: Store, progress: object) -> QualitySummary:
        assert release.wait(30)
        raise StoreError(f"the store {store.location} is closed")

    store = quality_store()
    cache = QualityCache(cut_off)
    cache.start(store)
    cache.close()  # the app's shutdown
    release.set()
    assert cache.wait(30)
    assert not [r for r in caplog.records if r.name == "harmgraph.api.quality"]
    assert isinstance(cache.get(store), Pending)  # nothing failed, nothing computed


def test_quality_and_health_under_uvicorn_with_the_store_from_settings(
    serve: Serve, backend: str, tmp_path: Path
) -> None:
    """As ``harmgraph serve`` runs: the app opens the store its settings name (an on-disk
    directory, or ``HARMGRAPH_STORE=http://…``), computes the report, closes the store."""
    with quality_store() as loaded:
        quads = loaded.count()
        location = loaded.location
        if backend == "embedded":
            location = str(tmp_path / "store")
            with Store.open(location) as disk:
                disk.extend(loaded.ox.quads_for_pattern(None, None, None, None))
    app = create_app(Settings(store=location))
    base = serve(app)
    health = httpx.get(f"{base}/-/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "store": location, "quads": quads}
    assert app.state.quality.wait(60)
    data = httpx.get(f"{base}/quality.json").json()
    assert data["status"] == "ready"
    assert (data["summary"]["incidents"], data["summary"]["complete"]) == (2, 1)
    assert [i["identifier"] for i in data["incidents"]] == ["TEST-WARNED", "INC-26-0068"]
    page = httpx.get(f"{base}/quality?severity=Warning", headers={"Accept": BROWSER})
    assert page.status_code == 200
    assert "TEST-WARNED" in page.text and "INC-26-0068" not in page.text
