"""graph/overview.py: counts, last update and licence of the whole graph."""

from __future__ import annotations

import pytest

from graph.overview import CC_BY, CC_BY_SA, overview
from tests.api.ld_store import loaded_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")


def test_counts_and_licence_follow_the_data() -> None:
    with loaded_store() as store:
        before = overview(store)
        store.update(
            "INSERT DATA { GRAPH <https://w3id.org/harmgraph/graph/aiid> "
            "{ <http://example.org/a> <http://example.org/p> 1 } }"
        )
        after = overview(store)
    # 5 groups: INC-26-0068's four, and "Job applicants", the broader group entity
    # resolution links "ICE job applicants" to (data/registry/groups.ttl).
    assert before.counts == {"incidents": 1, "actors": 3, "systems": 2, "groups": 5, "sources": 3}
    assert before.datasets == {"https://w3id.org/harmgraph/vocab/dataset/topaithreats": 1}
    assert before.modified is not None
    assert (before.licence, after.licence) == (CC_BY, CC_BY_SA)
    assert after.triples == before.triples + 1
