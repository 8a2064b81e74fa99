"""Restart: the bundled-data loader never imports over a store that holds data."""

from __future__ import annotations

from pathlib import Path

from graph.bundled import load_bundled
from graph.ingest import import_graph
from graph.io import parse
from graph.settings import get_settings
from graph.store import Store
from graph.validation import get_validator
from tests.reliability.stores import snapshot, synthetic_files


def test_load_bundled_on_a_store_with_data_loads_nothing_and_changes_nothing(
    tmp_path: Path,
) -> None:
    base, _ = synthetic_files(tmp_path, total=20, base=10)
    location = tmp_path / "store"
    with Store.open(location) as store:
        import_graph(store, parse(base), graph_name="syn", source="base", validator=get_validator())
    before = snapshot(location)
    for _ in range(2):  # as every `harmgraph serve` start does
        with Store.open(location) as store:
            report = load_bundled(store, get_settings(store=str(location)))
        assert report.loaded is False
        assert report.imports == []
        assert snapshot(location) == before
