"""What the endpoint reads from a query before it runs it (api/sparql/analysis.py): SERVICE
and LOAD targets named through prefixes resolve against the base in force where the prefix
was declared, however often BASE and PREFIX change (declarations are resolved lazily)."""

from __future__ import annotations

from api.sparql.analysis import analyse


def test_a_prefix_resolves_against_the_base_of_its_declaration() -> None:
    text = """BASE <http://one.example/dir/>
PREFIX a: <sub/>
BASE <http://two.example/>
PREFIX b: <x#>
SELECT * { SERVICE a:s { ?s ?p ?o } SERVICE b:t { ?s ?p ?o } SERVICE <rel> { ?s ?p ?o } }"""
    assert analyse(text, "http://endpoint.example/sparql").remote == [
        ("SERVICE", "http://one.example/dir/sub/s"),
        ("SERVICE", "http://two.example/x#t"),
        ("SERVICE", "http://two.example/rel"),
    ]


def test_a_redeclared_prefix_counts_from_its_new_declaration() -> None:
    text = "PREFIX e: <http://a/> LOAD e:x ; PREFIX e: <http://b/> LOAD SILENT e:y"
    assert analyse(text).remote == [("LOAD", "http://a/x"), ("LOAD", "http://b/y")]


def test_predeclared_and_undeclared_prefixes() -> None:
    text = "SELECT * { SERVICE hg:x {} SERVICE nope:y {} SERVICE ?v {} }"
    assert analyse(text, None, {"hg": "https://w3id.org/harmgraph/ontology#"}).remote == [
        ("SERVICE", "https://w3id.org/harmgraph/ontology#x"),
        ("SERVICE", None),
        ("SERVICE", None),
    ]


def test_a_prefix_declared_with_a_prefixed_name_resolves_to_nothing_but_its_local_part() -> None:
    assert analyse("PREFIX e: f:g LOAD e:x").remote == [("LOAD", "x")]


def test_a_service_through_a_hash_namespace_keeps_the_hash() -> None:
    # urljoin dropped the empty fragment: e:x became http://e/nsx and an allow-listed
    # http://e/ns#x was refused.
    text = "PREFIX e: <http://e/ns#> SELECT * { SERVICE e:x {} }"
    assert analyse(text, "http://h/sparql").remote == [("SERVICE", "http://e/ns#x")]
