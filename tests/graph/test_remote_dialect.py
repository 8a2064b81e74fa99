"""graph.remote_dialect and graph.remote_update: the Virtuoso dialect without a server.

The same behaviour against a real Virtuoso is covered by the ``virtuoso`` backend
(tests/backends.py, ``HARMGRAPH_TEST_BACKENDS=virtuoso``).
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from graph.remote_dialect import DEFAULT_GRAPH, LabelReader, get_dialect
from graph.remote_update import data_operations, for_engine

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


D = f"<{DEFAULT_GRAPH}>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # named graphs only: sent as written
        (
            "DELETE { GRAPH <http://e/g> { ?s ?p ?o } } WHERE { GRAPH <http://e/g> "
            "{ ?s ?p ?o } FILTER(isBlank(?s)) }",
            None,
        ),
        ("CLEAR GRAPH <http://e/g>", None),
        ("WITH <http://e/g> INSERT { ?s ?p 1 } WHERE { ?s ?p 2 }", None),
        # the default graph: the stand-in named graph
        (
            "DELETE DATA { <http://e/a> <http://e/p> <http://e/b> }",
            f"DELETE {{ GRAPH {D} {{ <http://e/a> <http://e/p> <http://e/b> . }} }} WHERE {{}}",
        ),
        (
            "PREFIX e: <http://e/>\nINSERT { ?s e:q e:r } WHERE { ?s e:p [] }",
            f"PREFIX e: <http://e/>\nINSERT {{ GRAPH {D} {{ ?s e:q e:r }} }} "
            f"WHERE {{ GRAPH {D} {{ ?s e:p [] }} }}",
        ),
        (
            "INSERT { ?s <http://e/q> 1 GRAPH <http://e/g> { ?s ?p ?o } } WHERE "
            "{ GRAPH <http://e/g> { ?s ?p ?o } }",
            f"INSERT {{ GRAPH {D} {{ ?s <http://e/q> 1 }} GRAPH <http://e/g> {{  ?s ?p ?o  }} }} "
            "WHERE { GRAPH <http://e/g> { ?s ?p ?o } }",
        ),
    ],
)
def test_updates_are_rewritten_per_operation(text: str, expected: str | None) -> None:
    assert for_engine(text, DEFAULT_GRAPH) == (text if expected is None else expected)


def test_insert_data_is_parsed_and_sent_again_in_graph_blocks() -> None:
    text = (
        'PREFIX e: <http://e/>\nINSERT DATA { GRAPH e:g { e:a e:p "INSERT DATA {" } } ;\n'
        "INSERT DATA { e:a e:p _:x . _:x e:q e:b }"
    )
    rewritten = for_engine(text, DEFAULT_GRAPH)
    assert rewritten.count("\n") == text.count("\n")
    first, second = rewritten.split(" ;\n")[0], rewritten.split("\n")[2]
    assert first.endswith(
        'INSERT { GRAPH <http://e/g> { <http://e/a> <http://e/p> "INSERT DATA {" . } } WHERE {}'
    )
    assert second.startswith(f"INSERT {{ GRAPH {D} {{ <http://e/a> <http://e/p> _:")
    assert second.count("GRAPH") == 1  # one block per run of quads in one graph
    assert second.endswith("} WHERE {}")


def test_large_data_is_split_and_each_blank_node_stays_in_one_operation() -> None:
    e = ox.NamedNode
    quads = [ox.Quad(e(f"http://e/s{k}"), e("http://e/p"), ox.Literal(str(k))) for k in range(2500)]
    chain = [ox.BlankNode(f"b{k}") for k in range(400)]
    quads += [ox.Quad(a, e("http://e/next"), b) for a, b in zip(chain, chain[1:], strict=False)]
    ops = list(data_operations(quads, DEFAULT_GRAPH))
    assert len(ops) == 9 + 1  # 2,500 ground quads by 300, the chain of 399 as one template
    assert all(op.startswith(f"INSERT {{ GRAPH {D} {{") for op in ops)
    assert ops[-1].count("_:b0 ") == 1 and ops[-1].count("_:b399 ") == 1
    assert sum(op.count(" . ") for op in ops) == len(quads)


def test_a_syntax_error_in_data_is_left_for_the_engine_to_report() -> None:
    text = "INSERT DATA {\n <http://e/a> <http://e/p> }"
    assert for_engine(text, DEFAULT_GRAPH) == text
