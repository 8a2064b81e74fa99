"""``harmgraph entities candidates``, run for real in a subprocess.

Every test runs on an on-disk store and with ``--store http://…`` on the session's
Oxigraph server (tests/backends.py). The near-duplicates go in as ``harmgraph import``
puts them (validated, resolved, one transaction), in-process: a second subprocess per
test would only time Python's start-up again.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from graph.candidates import find_candidates
from graph.ingest import import_graph
from graph.io import parse
from graph.model import HG, mint
from graph.store import Store
from graph.validation import get_validator
from tests.backends import fresh_store

NEAR_DUPLICATES = Path(__file__).parents[1] / "data" / "entities" / "near-duplicates.ttl"
PLANTED = {
    str(mint("actor", "northwind-surveillance-systems")),
    str(mint("actor", "northwind-surveilance-systems")),
}


def harmgraph(*args: str | Path, store: Path | str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "graph", *map(str, args), "--store", str(store)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Path | str:
    """The near-duplicates imported as the CLI does: into a new directory, or the emptied server."""
    opened = Store.open(tmp_path / "store") if backend == "embedded" else fresh_store()
    with opened as st:
        data, source = parse(NEAR_DUPLICATES), str(NEAR_DUPLICATES)
        import_graph(st, data, graph_name="curated", source=source, validator=get_validator())
        return st.location


def test_candidates_list_the_planted_pair_with_a_score_and_merge_nothing(store: Path | str) -> None:
    result = harmgraph("entities", "candidates", "--format", "json", store=store)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    planted = [r for r in rows if {r["a"], r["b"]} == PLANTED]
    assert len(planted) == 1
    assert 0.85 <= planted[0]["score"] < 1
    assert "Surveilance" in planted[0]["reason"]
    assert all("zephyr" not in r["a"] + r["b"] for r in rows)
    with Store.open(str(store)) as st:
        for iri in PLANTED:
            assert next(st.quads(URIRef(iri), RDF.type, HG.Actor), None) is not None


def test_candidates_find_an_acronym_for_the_full_name(store: Path | str) -> None:
    with Store.open(str(store)) as st:
        pairs = {(c.label_a, c.label_b): c for c in find_candidates(st)}
    found = pairs[("QRTB", "Quillon River Transit Board")]
    assert found.score == 0.9 and "acronym" in found.reason


def test_candidates_csv_min_score_and_limit(store: Path | str) -> None:
    result = harmgraph(
        "entities", "candidates", "--format", "csv", "--min-score", "0.95", store=store
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [{r["a"], r["b"]} for r in rows] == [PLANTED]
    limited = harmgraph("entities", "candidates", "--limit", "1", "--format", "json", store=store)
    assert len(json.loads(limited.stdout)) == 1


def test_candidates_text_and_bad_format(store: Path | str) -> None:
    text = harmgraph("entities", "candidates", store=store)
    assert text.returncode == 0 and "Northwind" in text.stdout and "none merged" in text.stderr
    bad = harmgraph("entities", "candidates", "--format", "xml", store=store)
    assert bad.returncode == 2 and "unknown format" in bad.stderr
