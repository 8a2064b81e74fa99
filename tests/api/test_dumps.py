"""Tests of api/routes/dumps.py and api/streaming.py: /dump.{ttl,nt,nq,trig,jsonld}."""

from __future__ import annotations

import gzip
import threading

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset
from rdflib.compare import isomorphic

from api.streaming import THREAD_NAME
from graph.io import FORMATS, parse
from graph.store import Store
from graph.void import DUMPS
from tests.api.conftest import Serve
from tests.api.stores import SYNTHETIC, app_for, curated_store, named, store_dataset, union
from tests.backends import active, fresh_store, skip_on_virtuoso

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")

LICENCE = '<https://creativecommons.org/licenses/by-sa/4.0/>; rel="license"'
PLAIN = {"Accept-Encoding": "identity"}


@pytest.mark.parametrize("ext", list(DUMPS))
def test_each_dump_reimports_isomorphically(ext: str) -> None:
    store = curated_store()
    store.update("INSERT DATA { <http://example.org/d> <http://example.org/p> 'default graph' }")
    fmt = FORMATS[DUMPS[ext]]
    response = TestClient(app_for(store)).get(f"/dump.{ext}", headers=PLAIN)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    back = parse(response.content, fmt)
    expected = store_dataset(store)
    # Into a fresh store, as a partner would load it.
    fresh = Store.open("memory")
    fresh.extend(ox.parse(response.content, fmt.rdf_format))
    assert len(fresh.ox) == (store.count() if fmt.dataset else len(union(expected)))
    if fmt.dataset:
        assert isinstance(back, Dataset)
        got, want = named(back), named(expected)
        assert set(got) == set(want)
        for name in want:
            assert isomorphic(got[name], want[name]), name
    assert isomorphic(union(back), union(expected))


def test_triple_dumps_write_a_triple_held_by_two_graphs_once() -> None:
    store = curated_store()
    store.update(
        "INSERT DATA { GRAPH <https://w3id.org/harmgraph/graph/other> { "
        "<https://w3id.org/harmgraph/id/actor/palantir> "
        "<http://www.w3.org/2000/01/rdf-schema#label> 'Palantir' } }"
    )
    body = TestClient(app_for(store)).get("/dump.nt", headers=PLAIN).text
    lines = body.splitlines()
    assert len(lines) == len(set(lines))
    assert sum('rdf-schema#label> "Palantir"' in line for line in lines) == 1


def test_etag_and_last_modified_give_304_and_change_with_the_data() -> None:
    store = curated_store()
    client = TestClient(app_for(store))
    first = client.get("/dump.ttl")
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert tag.startswith('W/"')
    again = client.get("/dump.ttl", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    since = client.get("/dump.ttl", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get("/dump.ttl", headers={"If-None-Match": 'W/"stale"'})
    assert stale.status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    both = client.get("/dump.ttl", headers={"If-None-Match": '"x"', "If-Modified-Since": modified})
    assert both.status_code == 200
    store.update("INSERT DATA { <http://example.org/new> <http://example.org/p> 1 }")
    after = client.get("/dump.ttl", headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert after.headers["etag"] != tag


def test_gzip_when_asked_and_identical_to_the_plain_body() -> None:
    client = TestClient(app_for(curated_store()))
    plain = client.get("/dump.nq", headers=PLAIN)
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    with client.stream("GET", "/dump.nq", headers={"Accept-Encoding": "gzip"}) as zipped:
        raw = b"".join(zipped.iter_raw())
        assert zipped.headers["content-encoding"] == "gzip"
    assert raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw) == plain.content
    refused = client.get("/dump.nq", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_head_sends_the_headers_without_a_body() -> None:
    client = TestClient(app_for(curated_store()))
    head = client.head("/dump.trig", headers=PLAIN)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == client.get("/dump.trig", headers=PLAIN).headers["etag"]
    assert head.headers["content-type"] == "application/trig"


def test_licence_link_iff_aiid_graph_present() -> None:
    store = curated_store()
    client = TestClient(app_for(store))
    assert "link" not in client.get("/dump.ttl").headers
    data = ox.parse(SYNTHETIC.read_bytes(), ox.RdfFormat.TURTLE)
    aiid = ox.NamedNode("https://w3id.org/harmgraph/graph/aiid")
    store.extend(ox.Quad(q.subject, q.predicate, q.object, aiid) for q in data)
    for ext in DUMPS:
        assert client.head(f"/dump.{ext}").headers["link"] == LICENCE


def test_unknown_dump_is_a_404_problem() -> None:
    response = TestClient(app_for(curated_store())).get("/dump.xml")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


#: Why the large-store tests do not run on Virtuoso.
SLOW_BULK = "loading 50,000+ quads through SPARQL Update takes minutes (about 1,000 quads/s)"


def _big_store(quads: int) -> Store:
    store = fresh_store()
    p = ox.NamedNode("http://example.org/p")
    g = ox.NamedNode("https://w3id.org/harmgraph/graph/synthetic")
    store.extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s/{i}"), p, ox.Literal(f"value {i} " * 4), g)
        for i in range(quads)
    )
    return store


def test_dump_streams_over_uvicorn(serve: Serve) -> None:
    skip_on_virtuoso(SLOW_BULK)
    store = _big_store(50_000)
    base = serve(app_for(store))
    chunks = 0
    with httpx.stream("GET", f"{base}/dump.nt", headers={"Accept-Encoding": "gzip"}) as r:
        assert r.status_code == 200
        assert r.headers["content-encoding"] == "gzip"
        assert "content-length" not in r.headers  # streamed, chunked
        raw = bytearray()
        for chunk in r.iter_raw():
            raw += chunk
            chunks += 1
    assert chunks > 1
    assert gzip.decompress(bytes(raw)).count(b"\n") == 50_000


def test_a_client_that_goes_away_stops_the_export(serve: Serve) -> None:
    # Bigger than the queue and socket buffers together, so the writer must block.
    skip_on_virtuoso(SLOW_BULK)
    base = serve(app_for(_big_store(200_000)))
    with httpx.stream("GET", f"{base}/dump.nq", headers=PLAIN) as r:
        assert next(r.iter_raw())
        writers = [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]
        if not writers and active() != "embedded":
            # Seen in a few full-suite runs on the Oxigraph server (not reproduced alone): the
            # export read from the server had already ended (or failed) when looked for,
            # so this run cannot show the stop; the embedded store's case always can.
            pytest.skip("the remote export ended before the client went away")
        assert writers  # still writing: blocked on the full queue
    for t in writers:
        t.join(timeout=20)
    assert not any(t.is_alive() for t in writers)
