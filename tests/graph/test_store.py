"""Tests of graph/store.py: opening, querying, atomic writes, errors."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from graph.errors import InvalidQuery, StoreError
from graph.store import Store
from tests.backends import (
    STORE_PARAMS,
    VIRTUOSO_NOT_ATOMIC,
    on_virtuoso,
    param_store,
    server_url,
)

G1 = "http://example.org/g1"
G2 = "http://example.org/g2"
INSERT_TWO_GRAPHS = """
INSERT DATA {
  GRAPH <http://example.org/g1> { <http://example.org/a> <http://example.org/p> "one" }
  GRAPH <http://example.org/g2> { <http://example.org/a> <http://example.org/p> "two" ,
                                                         "three" }
}
"""


@pytest.fixture(params=STORE_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    url = server_url(request)
    st = param_store(request.param, tmp_path, url)
    request.addfinalizer(st.close)
    return st


def test_open_creates_parent_directories(tmp_path: Path) -> None:
    location = tmp_path / "a" / "b" / "store"
    with Store.open(location) as st:
        assert st.location == str(location)
    assert location.is_dir()


def test_count_graphs_and_graph_triples(store: Store) -> None:
    store.update(INSERT_TWO_GRAPHS)
    assert store.count() == 3
    assert store.count(G1) == 1
    assert store.count(G2) == 2
    assert store.count("http://example.org/none") == 0
    assert store.graphs() == [URIRef(G1), URIRef(G2)]
    assert set(store.graph_triples(G2)) == {
        (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(v))
        for v in ("two", "three")
    }


def test_query_default_graph_is_union_and_substitutions_bind(store: Store) -> None:
    store.update(INSERT_TWO_GRAPHS)
    rows = store.query(
        "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }",
        substitutions={"s": URIRef("http://example.org/a")},
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert {r["o"].value for r in rows} == {"one", "two", "three"}  # type: ignore[union-attr]


def test_query_restricted_default_graph(store: Store) -> None:
    store.update(INSERT_TWO_GRAPHS)
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graph=[G1])
    assert [r["o"].value for r in rows] == ["one"]  # type: ignore[union-attr]


def test_query_knows_harmgraph_prefixes(store: Store) -> None:
    store.update("INSERT DATA { GRAPH <http://example.org/g1> { hgid:x a hg:Incident } }")
    assert bool(store.query("ASK { <https://w3id.org/harmgraph/id/x> a hg:Incident }"))


def test_syntax_error_gives_invalid_query_with_position(store: Store) -> None:
    with pytest.raises(InvalidQuery) as info:
        store.query("SELECT * WHERE {\n  ?s ?p }")
    # Virtuoso names the line only ("SPARQL compiler, line 2: syntax error at ...").
    expected = (2, None) if on_virtuoso(store) else (2, 10)
    assert (info.value.line, info.value.column) == expected


def test_substituted_variable_outside_projection_is_invalid_query(store: Store) -> None:
    with pytest.raises(InvalidQuery, match="projection"):
        store.query("SELECT ?o WHERE { ?s ?p ?o }", substitutions={"s": URIRef(G1)})


def test_update_request_is_atomic(store: Store, request: pytest.FixtureRequest) -> None:
    """The guarantee graph.ingest relies on: a failing later operation undoes earlier ones."""
    if on_virtuoso(store):
        request.applymarker(VIRTUOSO_NOT_ATOMIC)
    store.update(INSERT_TWO_GRAPHS)
    with pytest.raises((InvalidQuery, StoreError)):  # Oxigraph server: 500, i.e. StoreError
        store.update(
            "DELETE WHERE { GRAPH <http://example.org/g2> { ?s ?p ?o } } ;"
            "INSERT DATA { GRAPH <http://example.org/g3> { <http://e/x> <http://e/y> 1 } } ;"
            "CREATE GRAPH <http://example.org/g1>"
        )
    assert store.count() == 3
    assert store.graphs() == [URIRef(G1), URIRef(G2)]


def test_on_disk_store_survives_close_and_reopen(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with Store.open(location) as st:
        st.update(INSERT_TWO_GRAPHS)
    with Store.open(location) as st:
        assert st.count() == 3


def test_closed_store_says_so(tmp_path: Path) -> None:
    st = Store.open(tmp_path / "store")
    st.close()
    st.close()
    with pytest.raises(StoreError, match="closed"):
        st.count()


def test_path_under_a_file_gives_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot write"):
        Store.open(blocker / "store")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root ignores directory permissions (the path-under-a-file test covers this case)",
)
def test_read_only_directory_gives_store_error(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            Store.open(parent / "store")
    finally:
        parent.chmod(0o700)


def _hold_store(location: str, ready: multiprocessing.synchronize.Event, done: object) -> None:
    st = Store.open(location)
    ready.set()
    done.wait(30)  # type: ignore[attr-defined]
    st.close()


def test_store_locked_by_another_process_gives_store_error(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_store, args=(location, ready, done))
    holder.start()
    try:
        assert ready.wait(30), "the holder process did not open the store"
        with pytest.raises(StoreError, match="in use by another process"):
            Store.open(location)
    finally:
        done.set()
        holder.join(30)
