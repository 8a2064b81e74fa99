"""``harmgraph entities candidates``, run for real in a subprocess against an on-disk store."""

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
from graph.model import HG, mint
from graph.store import Store

NEAR_DUPLICATES = Path(__file__).parents[1] / "data" / "entities" / "near-duplicates.ttl"
PLANTED = {
    str(mint("actor", "northwind-surveillance-systems")),
    str(mint("actor", "northwind-surveilance-systems")),
}


def harmgraph(*args: str | Path, store: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "graph", *map(str, args), "--store", str(store)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    location = tmp_path / "store"
    imported = harmgraph("import", NEAR_DUPLICATES, store=location)
    assert imported.returncode == 0, imported.stderr
    return location


def test_candidates_list_the_planted_pair_with_a_score_and_merge_nothing(store: Path) -> None:
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


def test_candidates_find_an_acronym_for_the_full_name(store: Path) -> None:
    with Store.open(str(store)) as st:
        pairs = {(c.label_a, c.label_b): c for c in find_candidates(st)}
    found = pairs[("QRTB", "Quillon River Transit Board")]
    assert found.score == 0.9 and "acronym" in found.reason


def test_candidates_csv_min_score_and_limit(store: Path) -> None:
    result = harmgraph(
        "entities", "candidates", "--format", "csv", "--min-score", "0.95", store=store
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [{r["a"], r["b"]} for r in rows] == [PLANTED]
    limited = harmgraph("entities", "candidates", "--limit", "1", "--format", "json", store=store)
    assert len(json.loads(limited.stdout)) == 1


def test_candidates_text_and_bad_format(store: Path) -> None:
    text = harmgraph("entities", "candidates", store=store)
    assert text.returncode == 0 and "Northwind" in text.stdout and "none merged" in text.stderr
    bad = harmgraph("entities", "candidates", "--format", "xml", store=store)
    assert bad.returncode == 2 and "unknown format" in bad.stderr
