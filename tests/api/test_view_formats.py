"""api/view_formats.py on its own: suffixes, negotiation and its 406, a view's download."""

from __future__ import annotations

import json
from collections.abc import Iterator

import networkx as nx
import pytest
from starlette.requests import Request

from api.view_formats import (
    CAVEAT,
    FORMATS,
    HTML_OR_JSON,
    SUFFIXES,
    alternates,
    choose,
    download,
    split_suffix,
)
from graph.errors import NotAcceptable, NotFound
from graph.network import View
from graph.store import Store


def _request(accept: str | None) -> Request:
    headers = [] if accept is None else [(b"accept", accept.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


@pytest.fixture
def store() -> Iterator[Store]:
    yield Store.open("memory")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("id/actor/palantir.jsonld", ("id/actor/palantir", "application/ld+json")),
        ("id/actor/palantir.nt", ("id/actor/palantir", "application/n-triples")),
        ("id/actor/palantir.json", ("id/actor/palantir", "application/json")),
        # a dot that is not a known suffix stays part of the name
        ("id/actor/dr.-no", ("id/actor/dr.-no", None)),
        ("id/actor/palantir.gexf", ("id/actor/palantir.gexf", None)),
        ("id/actor/palantir", ("id/actor/palantir", None)),
    ],
)
def test_split_suffix_takes_off_only_known_suffixes(
    path: str, expected: tuple[str, str | None]
) -> None:
    assert split_suffix(path) == expected


def test_a_forced_type_wins_over_accept() -> None:
    assert choose(_request("text/html"), "text/turtle") == "text/turtle"


def test_accept_picks_among_the_offers_and_no_accept_takes_the_first() -> None:
    assert choose(_request("application/json"), None, HTML_OR_JSON) == "application/json"
    assert choose(_request("text/*;q=0.5, */*;q=0.1"), None, HTML_OR_JSON) == "text/html"
    assert choose(_request(None), None) == "text/html"


def test_nothing_acceptable_is_a_406_naming_the_offers() -> None:
    with pytest.raises(NotAcceptable) as caught:
        choose(_request("image/png"), None, ["text/plain"], "text only")
    assert caught.value.status == 406
    assert caught.value.detail == "text only"
    assert caught.value.offered == ["text/plain"]


def test_alternates_link_every_suffix_of_the_path() -> None:
    links = alternates("/vocab/severity").split(", ")
    assert len(links) == len(SUFFIXES)
    assert '</vocab/severity.nt>; rel="alternate"; type="application/n-triples"' in links


def _view() -> View:
    g = nx.Graph()
    g.add_node("https://e/a", label="A", kind="actor")
    g.add_node("https://e/b", label="B", kind="incident")
    g.add_edge("https://e/a", "https://e/b", kind="developer")
    return View(g, focus=("https://e/a",))


@pytest.mark.parametrize("fmt", FORMATS)
def test_download_names_the_file_and_sends_the_caveat(fmt: str, store: Store) -> None:
    response = download(_view(), fmt, store, "network-a b/c-incidents")
    disposition = "inline" if fmt in ("json", "ttl") else "attachment"
    assert response.headers["content-disposition"] == (
        f'{disposition}; filename="network-a-b-c-incidents.{fmt}"'
    )
    assert response.headers["x-harmgraph-caveat"] == CAVEAT


def test_download_json_is_the_view(store: Store) -> None:
    response = download(_view(), "json", store, "v")
    assert response.media_type == "application/json"
    assert json.loads(bytes(response.body))["focus"] == ["https://e/a"]


def test_a_name_of_only_symbols_downloads_as_view(store: Store) -> None:
    response = download(_view(), "csv", store, "<>")
    assert 'filename="view.csv"' in response.headers["content-disposition"]


def test_an_unknown_suffix_is_a_404_listing_the_formats(store: Store) -> None:
    with pytest.raises(NotFound) as caught:
        download(_view(), "xml", store, "v")
    assert caught.value.detail == "a view comes as json, csv, gexf, graphml, ttl, not .xml"
