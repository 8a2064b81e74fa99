"""Tests of graph/io.py: formats, parsing errors with positions, streaming export."""

from __future__ import annotations

import io as stdio
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from graph import io
from graph.errors import InvalidRDF, NotFound, UnsupportedFormat
from graph.store import Store
from graph.terms import graph_name, to_quads
from tests.backends import STORE_PARAMS, param_store, server_url

DATA = Path(__file__).parent.parent / "data"
SAMPLE = DATA / "io" / "sample.trig"
GRAPH_ONE = URIRef("http://example.org/graph-one")
GRAPH_TWO = URIRef("http://example.org/graph-two")


def _graphs(data: Graph | Dataset) -> dict[URIRef | None, Graph]:
    """Each graph of a parse result by name (``None`` for the default graph), non-empty only."""
    if not isinstance(data, Dataset):
        return {None: data}
    out: dict[URIRef | None, Graph] = {}
    for g in data.graphs():
        if len(g):
            key = None if g.identifier == data.default_graph.identifier else g.identifier
            out[key] = Graph() + g  # type: ignore[assignment]
    return out


@pytest.fixture(params=STORE_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    url = server_url(request)
    st = param_store(request.param, tmp_path, url)
    request.addfinalizer(st.close)
    data = io.parse(SAMPLE)
    for name, g in _graphs(data).items():
        st.extend(to_quads(g, graph_name(name)))
    return st


@pytest.mark.parametrize("fmt", list(io.FORMATS.values()), ids=list(io.FORMATS))
def test_round_trip_whole_store_is_isomorphic(store: Store, fmt: io.Format) -> None:
    expected = _graphs(io.parse(SAMPLE))
    buf = stdio.BytesIO()
    io.export(store, buf, fmt)
    back = io.parse(buf.getvalue(), fmt)
    if fmt.dataset:
        got = _graphs(back)
        assert set(got) == set(expected)
        for name, g in expected.items():
            assert isomorphic(got[name], g), name
    else:  # a triple format holds the union of all graphs
        union = Graph()
        for g in expected.values():
            union += g
        assert isomorphic(_graphs(back)[None], union)


@pytest.mark.parametrize("fmt", list(io.FORMATS.values()), ids=list(io.FORMATS))
def test_round_trip_one_named_graph_is_isomorphic(store: Store, fmt: io.Format) -> None:
    expected = _graphs(io.parse(SAMPLE))[GRAPH_ONE]
    buf = stdio.BytesIO()
    io.export(store, buf, fmt.name, graph=str(GRAPH_ONE))
    got = _graphs(io.parse(buf.getvalue(), fmt))
    if fmt.dataset:  # the graph keeps its name, and nothing else comes along
        assert list(got) == [GRAPH_ONE]
    assert isomorphic(next(iter(got.values())), expected)


def test_export_to_a_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "dump.nq"
    with out.open("wb") as f:
        io.export(store, f, "application/n-quads")
    assert len(list(io.parse(out).quads())) == 17  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fixture", "line", "column", "message"),
    [
        ("missing-dot.ttl", 5, 1, "dot is expected"),
        ("unterminated-string.ttl", 4, 39, "Line jumps are not allowed"),
        ("latin1.nt", 1, 55, "Invalid UTF-8"),
    ],
)
def test_malformed_input_says_file_line_and_column(
    fixture: str, line: int, column: int, message: str
) -> None:
    path = DATA / "bad" / fixture
    with pytest.raises(InvalidRDF, match=message) as info:
        io.parse(path)
    err = info.value
    assert (err.file, err.line, err.column) == (str(path), line, column)
    assert str(err).startswith(f"{path}:{line}:{column}: ")


def test_bytes_errors_use_the_source_name() -> None:
    with pytest.raises(InvalidRDF) as info:
        io.parse(b"<http://e/a> <http://e/b> .", "nt", source_name="upload.nt")
    assert (info.value.file, info.value.line) == ("upload.nt", 1)


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttl"
    with pytest.raises(NotFound, match=str(missing)):
        io.parse(missing)


@pytest.mark.parametrize("name", ["data.rdfx", "data"])
def test_unknown_extension_is_unsupported(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    with pytest.raises(UnsupportedFormat, match="give a format"):
        io.parse(path)
    assert len(io.parse(path, "ntriples")) == 1


def test_unknown_format_name_lists_the_known_ones() -> None:
    with pytest.raises(UnsupportedFormat, match="turtle, ntriples, nquads, trig, jsonld"):
        io.format_by_name("rdfxml")


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("ttl", "turtle"),
        ("text/turtle", "turtle"),
        ("application/ld+json; charset=utf-8", "jsonld"),
        ("json", "jsonld"),
        ("N-Triples", "ntriples"),
        ("TRIG", "trig"),
    ],
)
def test_format_by_name_accepts_names_extensions_and_media_types(key: str, name: str) -> None:
    assert io.format_by_name(key).name == name


def test_triple_format_rejects_named_graphs() -> None:
    with pytest.raises(InvalidRDF):
        io.parse(b"<http://e/a> <http://e/b> <http://e/c> <http://e/g> .", "ntriples")


def test_jsonld_remote_context_is_never_fetched() -> None:
    doc = b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a", "name": "x"}'
    with pytest.raises(InvalidRDF, match="never fetched"):
        io.parse(doc, "jsonld")


def test_triple_export_writes_a_triple_held_by_several_graphs_once(store: Store) -> None:
    # The union no longer comes from a CONSTRUCT (its duplicate filter holds up to a million
    # triples in memory); union_triples must still write each triple once.
    store.update(
        "INSERT DATA { <http://example.org/x> <http://example.org/p> 1 . "
        "GRAPH <http://example.org/g3> { <http://example.org/x> <http://example.org/p> 1 } }"
    )
    before = sum(1 for _ in io.union_triples(store))
    buf = stdio.BytesIO()
    io.export(store, buf, "ntriples")
    lines = buf.getvalue().decode().splitlines()
    assert len(lines) == len(set(lines)) == before
    x = '<http://example.org/x> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert lines.count(f"{x} .") == 1
