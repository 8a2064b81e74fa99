"""graph/describe.py: pages of a resource's incoming links and their counts. A store directory
keeps each ranking until its files change; its pages are those the ranked query gives a
store that keeps nothing, and a write shows on the next page."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import describe
from graph.store import Store

HUB = "http://e/hub"
P = "http://e/p"
Q = "http://e/q"
DATE = "http://purl.org/dc/terms/date"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def _quads(k: int, prop: str = P) -> list[ox.Quad]:
    """Resource ``k`` links to the hub through ``prop``, with a label and (mostly) a date;
    some share a date, so the IRI breaks the tie."""
    s = ox.NamedNode(f"http://e/r{k:03d}")
    quads = [
        ox.Quad(s, ox.NamedNode(prop), ox.NamedNode(HUB)),
        ox.Quad(s, ox.NamedNode(LABEL), ox.Literal(f"R {k}")),
    ]
    if k % 7:
        day = ox.Literal(f"20{10 + k % 13}-01-0{1 + k % 3}", datatype=XSD_DATE)
        quads.append(ox.Quad(s, ox.NamedNode(DATE), day))
    return quads


def _fill(store: Store, n: int) -> None:
    store.extend([q for k in range(n) for q in _quads(k, P if k % 5 else Q)])


def _page(store: Store, prop: str, limit: int, offset: int) -> list[tuple[str, str | None]]:
    links = describe.incoming_page(store, HUB, prop, limit=limit, offset=offset)
    return [(str(link.subject), str(link.date) if link.date else None) for link in links]


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Store, Store]:
    """The same links in a store directory (keeps rankings) and in memory (keeps nothing)."""
    disk, memory = Store.open(str(tmp_path / "store")), Store.open("memory")
    _fill(disk, 120)
    _fill(memory, 120)
    return disk, memory


def test_pages_of_a_kept_ranking_are_the_ranked_query_pages(stores: tuple[Store, Store]) -> None:
    disk, memory = stores
    assert describe.incoming_counts(disk, HUB) == describe.incoming_counts(memory, HUB)
    for prop in (P, Q):
        for limit, offset in ((20, 0), (20, 20), (7, 90), (20, 95), (5, 500), (0, 0)):
            want = _page(memory, prop, limit, offset)
            assert _page(disk, prop, limit, offset) == want
    everything = _page(memory, P, 1000, 0)
    assert len(everything) == 96 and everything[-1][1] is None  # undated last


def test_a_write_shows_on_the_next_page_and_count(stores: tuple[Store, Store]) -> None:
    disk, _ = stores
    before = describe.incoming_counts(disk, HUB)
    first = _page(disk, P, 3, 0)
    newest = ox.NamedNode("http://e/newest")
    disk.extend(
        [
            ox.Quad(newest, ox.NamedNode(P), ox.NamedNode(HUB)),
            ox.Quad(newest, ox.NamedNode(DATE), ox.Literal("2099-01-01", datatype=XSD_DATE)),
        ]
    )
    assert _page(disk, P, 3, 0) == [("http://e/newest", "2099-01-01"), *first[:2]]
    counts = describe.incoming_counts(disk, HUB)
    assert (
        counts[next(p for p in counts if str(p) == P)]
        == before[next(p for p in before if str(p) == P)] + 1
    )
