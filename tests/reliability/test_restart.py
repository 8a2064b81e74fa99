"""Restart: the bundled-data loader never imports over a store that holds data.

Every ``harmgraph serve`` start runs the loader, on the embedded on-disk store and on
a server alike, so this runs on each store backend (tests/backends.py).
"""

from __future__ import annotations

from pathlib import Path

from graph.bundled import load_bundled
from graph.ingest import import_graph
from graph.io import parse
from graph.settings import get_settings
from graph.store import RdfQuad, Store
from graph.validation import get_validator
from tests.backends import fresh_store
from tests.reliability.stores import synthetic_files


def _quads(location: str) -> set[RdfQuad]:
    """Every quad of the store at ``location``, opened afresh as a starting server does."""
    with Store.open(location, get_settings(store=location)) as store:
        return set(store.quads())


def test_load_bundled_on_a_store_with_data_loads_nothing_and_changes_nothing(
    backend: str, tmp_path: Path
) -> None:
    base, _ = synthetic_files(tmp_path, total=20, base=10)
    with Store.open(tmp_path / "store") if backend == "embedded" else fresh_store() as store:
        import_graph(store, parse(base), graph_name="syn", source="base", validator=get_validator())
        location = store.location
    before = _quads(location)
    assert len(before) > 100
    for _ in range(2):  # as every `harmgraph serve` start does
        with Store.open(location, get_settings(store=location)) as store:
            report = load_bundled(store, get_settings(store=location))
        assert report.loaded is False
        assert report.imports == []
        assert _quads(location) == before
