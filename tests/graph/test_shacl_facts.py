"""Facts.triple and Facts.instances match the store's triples plus the ones supplied."""

from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from graph.shacl_facts import TYPE, Facts

_P, _Q = "<urn:p>", "<urn:q>"
_STORED = [("<urn:a>", _P, "<urn:b>"), ("<urn:a>", _P, '"x"'), ("<urn:c>", _Q, "<urn:a>")]
_SUPPLIED = [("<urn:d>", _P, "<urn:b>"), ("<urn:a>", _P, '"x"'), ("<urn:e>", _P, '"y"@en')]
_TERMS = ["<urn:a>", "<urn:b>", "<urn:d>", '"x"', '"y"@en', "<urn:z>"]


def _store() -> ox.Store:
    store = ox.Store()
    for s, p, o in _STORED:
        store.update(f"INSERT DATA {{ {s} {p} {o} }}")
    return store


def _facts() -> Facts:
    extra: dict[str, list[tuple[str, str]]] = {}
    for s, p, o in _SUPPLIED:
        extra.setdefault(p, []).append((s, o))
    return Facts(extra={p: tuple(pairs) for p, pairs in extra.items()})


def _ends() -> list[tuple[str, str]]:
    """Every combination of a variable, ``[]`` and a constant at both ends."""
    return list(itertools.product(["?s", "[]", *_TERMS], ["?o", "[]", *_TERMS]))


@pytest.mark.parametrize("ends", _ends(), ids=str)
def test_a_pattern_matches_the_stored_and_the_supplied_triples(ends: tuple[str, str]) -> None:
    s, o = ends
    pattern = _facts().triple(s, _P, o)
    rows = _store().query(f"SELECT * WHERE {{ {pattern} }}")
    assert isinstance(rows, ox.QuerySolutions)
    variables = [v for v in (s, o) if v.startswith("?")]
    found = {tuple(str(row[v[1:]]) for v in variables) for row in rows}
    expected = {
        tuple(t for t, end in ((ts, s), (to, o)) if end.startswith("?"))
        for ts, p, to in {*_STORED, *_SUPPLIED}
        if p == _P and s in ("?s", "[]", ts) and o in ("?o", "[]", to)
    }
    assert found == expected


def test_a_predicate_with_nothing_supplied_keeps_the_plain_pattern() -> None:
    assert _facts().triple("?s", _Q, "?o") == "?s <urn:q> ?o"
    assert Facts().triple("?s", _P, "?o") == "?s <urn:p> ?o"


def test_instances_of_several_classes_include_supplied_types() -> None:
    facts = Facts(extra={TYPE: (("<urn:d>", "<urn:C>"), ("<urn:e>", "<urn:Z>"))})
    store = ox.Store()
    store.update(f"INSERT DATA {{ <urn:a> {TYPE} <urn:B> . <urn:b> {TYPE} <urn:Z> }}")
    for classes, expected in (
        (["<urn:B>", "<urn:C>"], {"<urn:a>", "<urn:d>"}),
        (["<urn:C>"], {"<urn:d>"}),
        (["<urn:B>"], {"<urn:a>"}),
    ):
        pattern = facts.instances("?x", classes, "?t")
        rows = store.query(f"SELECT DISTINCT ?x WHERE {{ {pattern} }}")
        assert isinstance(rows, ox.QuerySolutions)
        assert {str(row["x"]) for row in rows} == expected
