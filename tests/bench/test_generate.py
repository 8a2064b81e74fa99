"""The synthetic data generator: seeded, valid against the shapes, skewed like AIID."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from bench.generate import Generator, write, write_files
from graph.model import HG
from graph.validation import get_validator

N = 20


def _nt(n: int, seed: int) -> str:
    out = io.StringIO()
    write(out, n, seed)
    return out.getvalue()


def test_same_seed_gives_identical_output_and_another_seed_does_not() -> None:
    assert _nt(N, seed=3) == _nt(N, seed=3)
    assert _nt(N, seed=3) != _nt(N, seed=4)


def test_every_incident_conforms_to_the_shapes() -> None:
    data = Graph().parse(data=_nt(N, seed=3), format="nt")
    incidents = set(data.subjects(RDF.type, HG.Incident))
    report = get_validator().validate(data)
    assert len(incidents) == N
    assert report.conforms, [r.to_text() for r in report.violations]
    # Synthetic data is realistic, not perfect: some Warnings (unassessed severity, ...).
    assert {r.severity for r in report.results} >= {"Warning", "Info"}
    assert 25 <= len(data) / N <= 45


def test_extra_incidents_reuse_parties_and_conform_with_the_main_file(tmp_path: Path) -> None:
    written = write_files(tmp_path / "main.nt", N, seed=3, extra=2)
    main = Graph().parse(written.path, format="nt")
    for extra in sorted((tmp_path / "main-extra").glob("*.nt")):
        new = Graph().parse(extra, format="nt")
        assert set(new.subjects(RDF.type, HG.Incident)).isdisjoint(main.subjects())
        assert get_validator().validate(new + main).conforms


def test_parties_are_skewed_a_few_in_many_incidents() -> None:
    gen = Generator(2000, seed=1)
    deployers: Counter[str] = Counter()
    for lines in gen.incidents():
        deployers.update(line.split()[2] for line in lines if "#deployer>" in line.split()[1])
    top, *_ = deployers.most_common(1)
    # Zipf with exponent ~1 over 2,000 parties: the top one is in several percent of incidents.
    assert top[1] > 0.05 * 2000
    assert len(deployers) > 500
