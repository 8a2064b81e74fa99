"""Auth and browser-facing headers: no one writes without the token, no page can be framed."""

from __future__ import annotations

import secrets

import pytest
from fastapi.testclient import TestClient

import api.auth
from tests.api.stores import SYNTHETIC, TOKEN, app_for, curated_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

TURTLE = {"Content-Type": "text/turtle"}
UPDATE = {"Content-Type": "application/sparql-update"}
BAD_HEADERS = {
    "missing": None,
    "empty bearer": "Bearer ",
    "wrong token": "Bearer not-the-token",
    "token prefix": f"Bearer {TOKEN[:-1]}",
    "token plus junk": f"Bearer {TOKEN}x",
    "basic scheme": f"Basic {TOKEN}",
    "no scheme": TOKEN,
    "token in upper case": f"Bearer {TOKEN.upper()}",
    "NUL inside": f"Bearer {TOKEN[:4]}\x00{TOKEN[4:]}",
}


def _writes(client: TestClient, authorization: str | None) -> list[int]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return [
        client.post(
            "/incidents", content=SYNTHETIC.read_bytes(), headers={**headers, **TURTLE}
        ).status_code,
        client.delete("/incidents/inc-26-0068", headers=headers).status_code,
        client.post("/sparql", content="DROP ALL", headers={**headers, **UPDATE}).status_code,
        client.post("/sparql", data={"update": "DROP ALL"}, headers=headers).status_code,
    ]


@pytest.mark.parametrize("name", list(BAD_HEADERS))
def test_write_endpoints_refuse_missing_and_wrong_tokens(name: str) -> None:
    store = curated_store()
    before = store.count()
    client = TestClient(app_for(store))
    try:
        statuses = _writes(client, BAD_HEADERS[name])
    except Exception as err:  # noqa: BLE001 - httpx refuses some header bytes itself
        assert name == "NUL inside", err
        return
    assert statuses == [401] * 4, statuses
    assert store.count() == before


def test_writes_are_off_without_a_configured_token() -> None:
    store = curated_store()
    before = store.count()
    client = TestClient(app_for(store, token=""))
    assert _writes(client, "Bearer ") == [403] * 4
    assert _writes(client, None) == [403] * 4
    assert store.count() == before


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A timing probe learns nothing: every check goes through secrets.compare_digest."""
    calls: list[tuple[bytes, bytes]] = []
    compare = secrets.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(api.auth.secrets, "compare_digest", spy)
    client = TestClient(app_for(curated_store()))
    assert _writes(client, "Bearer guess")[0] == 401
    assert calls and calls[0] == (b"guess", TOKEN.encode())


def test_no_cors_grant_and_never_with_credentials() -> None:
    client = TestClient(app_for(curated_store()))
    origin = {"Origin": "https://evil.example"}
    responses = [
        client.options(
            "/incidents",
            headers={**origin, "Access-Control-Request-Method": "POST"},
        ),
        client.get("/sparql", params={"query": "ASK {}"}, headers=origin),
        client.get("/id/incident/inc-26-0068.json", headers=origin),
        client.post("/incidents", headers={**origin, "Authorization": f"Bearer {TOKEN}"}),
    ]
    for response in responses:
        assert "access-control-allow-credentials" not in response.headers
        allowed = response.headers.get("access-control-allow-origin")
        assert allowed in (None, "*"), allowed
        assert allowed != "https://evil.example"


HTML_PAGES = [
    "/",
    "/search?q=palantir",
    "/network",
    "/path?from=palantir&to=us-immigration-and-customs-enforcement",
    "/id/incident/inc-26-0068",
    "/id/actor/palantir",
    "/ontology",
    "/shapes",
    "/docs",
    "/sparql",
    "/no/such/page",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_carries_the_security_headers(path: str) -> None:
    client = TestClient(app_for(curated_store()))
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html"), path
    csp = {
        d.split()[0]: d.split()[1:]
        for d in response.headers["content-security-policy"].split(";")
        if d.strip()
    }
    assert csp["script-src"] == ["'self'"], csp
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
