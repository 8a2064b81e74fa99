"""graph.remote_dialect and graph.remote_update: the Virtuoso dialect without a server.

The same behaviour against a real Virtuoso is covered by the ``virtuoso`` backend
(tests/backends.py, ``HARMGRAPH_TEST_BACKENDS=virtuoso``).
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from graph.remote_dialect import DEFAULT_GRAPH, LabelReader, get_dialect
from graph.remote_update import for_engine

VIRTUOSO = get_dialect("virtuoso")

JSON = (
    b'{ "head": { "vars": ["s", "o"] }, "results": { "bindings": [\n'
    b'{ "s": { "type": "bnode", "value": "nodeID://b10000" }, '
    b'"o": { "type": "literal", "value": "nodeID://b10000 is text" }},\n'
    b'{ "s": { "type": "uri", "value": "http://e/a" }, '
    b'"o": { "type": "bnode", "value": "nodeID://b10001" }} ] } }'
)


class Trickle(io.BytesIO):
    """A source that hands out ``step`` bytes per read, to cut every pattern somewhere."""

    def __init__(self, data: bytes, step: int) -> None:
        super().__init__(data)
        self.step = step

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self.step)


@pytest.mark.parametrize("step", [1, 3, 7, 40, 65536])
def test_blank_node_labels_are_rewritten_wherever_the_stream_is_cut(step: int) -> None:
    reader = LabelReader(Trickle(JSON, step), "nodeID://")
    results = ox.parse_query_results(reader.read(), ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    rows = list(results)
    assert isinstance(rows[0]["s"], ox.BlankNode) and rows[0]["s"].value == "b10000"
    assert rows[0]["o"] == ox.Literal("nodeID://b10000 is text")  # a literal is not touched
    assert rows[1]["o"] == ox.BlankNode("b10001")


def test_xml_blank_node_labels_are_rewritten() -> None:
    body = (
        b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="o"/>'
        b'</head><results><result><binding name="o"><bnode>nodeID://b7</bnode></binding>'
        b"</result></results></sparql>"
    )
    text = LabelReader(io.BytesIO(body), "nodeID://").read()
    results = ox.parse_query_results(text, ox.QueryResultsFormat.XML)
    assert isinstance(results, ox.QuerySolutions)
    rows = list(results)
    assert rows[0]["o"] == ox.BlankNode("b7")


def test_the_standard_dialect_changes_nothing() -> None:
    plain = get_dialect("")
    text = "INSERT DATA { _:b <http://e/p> 1 }"
    assert plain.update_text(text) == text
    assert plain.graph_filter("?g") == ""
    source = io.BytesIO(JSON)
    assert plain.reader(source) is source


def test_system_graphs_are_recognised() -> None:
    assert VIRTUOSO.is_system_graph("http://www.openlinksw.com/schemas/virtrdf#")
    assert VIRTUOSO.is_system_graph("http://127.0.0.1:8890/sparql")
    assert not VIRTUOSO.is_system_graph("https://w3id.org/harmgraph/graph/curated")


D = f"WITH <{DEFAULT_GRAPH}> "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # named graphs only: no WITH (it would hide the named graphs from WHERE)
        (
            "DELETE { GRAPH <http://e/g> { ?s ?p ?o } } WHERE { GRAPH <http://e/g> "
            "{ ?s ?p ?o } FILTER(isBlank(?s)) }",
            None,
        ),
        ("DELETE DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> 1 } }", None),
        ("CLEAR GRAPH <http://e/g>", None),
        # the default graph: WITH the stand-in
        (
            "DELETE DATA { <http://e/a> <http://e/p> 1 }",
            D + "DELETE      { <http://e/a> <http://e/p> 1 } WHERE {}",
        ),
        (
            "PREFIX e: <http://e/>\nINSERT { ?s e:q 1 } WHERE { ?s e:p [] }",
            "PREFIX e: <http://e/>\n" + D + "INSERT { ?s e:q 1 } WHERE { ?s e:p [] }",
        ),
        (
            'INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/p> "INSERT DATA {" } } ;\n'
            "INSERT DATA { <http://e/a> <http://e/p> _:x }",
            'INSERT      { GRAPH <http://e/g> { <http://e/a> <http://e/p> "INSERT DATA {" } }'
            " WHERE {} ;\n" + D + "INSERT      { <http://e/a> <http://e/p> _:x } WHERE {}",
        ),
    ],
)
def test_updates_are_rewritten_per_operation(text: str, expected: str | None) -> None:
    assert for_engine(text, DEFAULT_GRAPH) == (text if expected is None else expected)


def test_rewritten_updates_keep_their_lines() -> None:
    text = "INSERT DATA {\n<http://e/a> <http://e/p> 1 } ;\nDELETE WHERE {\n  ?s ?p }"
    rewritten = for_engine(text, DEFAULT_GRAPH).splitlines()
    assert len(rewritten) == 4
    assert rewritten[0] == D + "INSERT      {"
    assert rewritten[3] == "  ?s ?p } WHERE { ?s ?p }"
