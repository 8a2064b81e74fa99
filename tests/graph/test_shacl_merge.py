"""Merged full-store queries answer exactly what their members answer alone."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SH

from graph.shacl_merge import merge_queries
from graph.shacl_sparql import ConstraintQuery, compile_shapes
from graph.shacl_store import store_dataset
from graph.store import Store
from graph.validation import get_validator
from tests.graph.test_quality_sparql import _every_shape_broken, _load, _with_vocab


def _solutions(store: Store, sparql: str, graphs: tuple[str, ...]) -> list[ox.QuerySolution]:
    found = store.ox.query(sparql, default_graph=[ox.NamedNode(g) for g in graphs])
    assert isinstance(found, ox.QuerySolutions)
    return list(found)


def _row(solution: ox.QuerySolution) -> tuple[object, ...]:
    """The bound terms of a row, as the validation reads them."""
    return tuple(t for t in solution if t is not None)


@pytest.mark.parametrize("share", ["all", "none"])
def test_every_merged_query_gives_each_members_own_rows(share: str) -> None:
    store = _with_vocab(Store.open("memory"), share)
    _load(store, _every_shape_broken(), "broken")
    validator = get_validator()
    dataset = store_dataset(store, validator)
    assert dataset is not None
    queries = compile_shapes(validator.shapes, dataset.facts).queries
    merged = merge_queries(queries)
    assert sorted(k for m in merged for k in m.members) == list(range(len(queries)))
    several = [m for m in merged if len(m.members) > 1]
    labels = {(queries[k].path, queries[k].component) for m in several for k in m.members}
    assert (RDFS.label, SH.NodeKindConstraintComponent) in labels  # 4 classes, one scan
    assert any("GROUP_CONCAT" in m.sparql for m in several)  # the incident's counts, by focus
    nonempty = 0
    for m in several:
        rows = m.split([_row(s) for s in _solutions(store, m.sparql, dataset.graphs)])
        for k, found in zip(m.members, rows, strict=True):
            alone = [_row(s) for s in _solutions(store, queries[k].sparql, dataset.graphs)]
            assert sorted(map(str, found)) == sorted(map(str, alone))
            assert len(found) == len(set(map(str, found)))  # each once
            nonempty += bool(alone)
    assert nonempty >= 10  # the broken data makes the members find something


def _query(focus: str) -> ConstraintQuery:
    after = "MINUS { ?focus <urn:p> ?x }"
    sparql = f"SELECT DISTINCT ?focus WHERE {{ {focus} {after} }}"
    return ConstraintQuery(
        URIRef("urn:s"),
        None,
        SH.MinCountConstraintComponent,
        "Info",
        "m",
        sparql,
        ("", focus, after),
    )


def test_foci_with_variables_of_their_own_and_gate_queries_run_alone() -> None:
    classes = "{ ?focus a ?c . VALUES ?c { <urn:A> <urn:B> } }"
    gate = ConstraintQuery(
        URIRef("urn:s"), None, SH.MinCountConstraintComponent, "Info", "m", "SELECT * {}"
    )
    queries = [_query(classes), _query("{ ?focus a <urn:C> . }"), gate]
    assert sorted(m.members for m in merge_queries(queries)) == [(0,), (1,), (2,)]
    both = merge_queries([_query("{ ?focus a <urn:C> . }"), _query("{ ?focus a <urn:D> . }")])
    assert [m.members for m in both] == [(0, 1)]
