"""The ``harmgraph`` CLI, run against on-disk stores.

Each command family (import, query, validate, export, stats) and the error exit codes and
``--debug`` run at least once for real, ``python -m graph`` in a subprocess
(:func:`harmgraph`). The other calls (setup imports, argument and input errors, output
formats) run the same entry point in this process (the ``cli`` fixture: :func:`graph.cli.main`,
which ``python -m graph`` exits with, output captured), which saves an interpreter start
and the imports per call.

The tests that import, query, re-import, validate the store, export and count take
``any_store``: they run once on an on-disk store and once with ``--store http://…``
on the session's Oxigraph server (tests/backends.py). Argument and input errors
are the same on every backend and run on disk only.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.cli import main
from tests.backends import fresh_store

ROOT = Path(__file__).resolve().parents[2]
INCIDENT = ROOT / "data" / "incidents" / "inc-26-0068.ttl"
DATA = ROOT / "tests" / "data"

PALANTIR_QUERY = """
SELECT ?deployer ?system WHERE {
  ?i a hg:Incident ; hg:developer ?dev ; hg:deployer ?d ; hg:aiSystem ?s .
  ?s hg:developer ?dev .
  ?dev skos:altLabel "Palantir"@en .
  ?d rdfs:label ?deployer . ?s rdfs:label ?system .
} ORDER BY ?system
"""


def harmgraph(
    *args: str | Path, store: Path | str | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "graph", *map(str, args)]
    if store is not None:
        cmd += ["--store", str(store)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def cli(*args: str | Path, store: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    """:func:`harmgraph` in this process: :func:`graph.cli.main`'s exit code, and its output
    read back as the subprocess's text mode reads it (universal newlines)."""
    argv = [*map(str, args), *(["--store", str(store)] if store is not None else [])]
    # Real files, as a subprocess's pipes: ``query`` writes to ``sys.stdout.buffer``.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        out, err = (io.TextIOWrapper(f, encoding="utf-8") for f in (out_file, err_file))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        text = []
        for stream, file in ((out, out_file), (err, err_file)):
            stream.flush()
            file.seek(0)
            text.append(io.TextIOWrapper(io.BytesIO(file.read()), encoding="utf-8").read())
    return subprocess.CompletedProcess(argv, code, *text)


def count(store: Path | str) -> int:
    result = cli(
        "query", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", "--format", "csv", store=store
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.splitlines()[1])


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def any_store(backend: str, tmp_path: Path) -> Path | str:
    """Where the CLI keeps its data on this backend: a new directory, or the emptied server."""
    if backend == "embedded":
        return tmp_path / "store"
    with fresh_store() as remote:
        return remote.location


def test_import_then_query_who_deployed_what_palantir_developed(any_store: Path | str) -> None:
    imported = harmgraph("import", INCIDENT, store=any_store)
    assert imported.returncode == 0, imported.stderr
    assert "1 incident(s) added" in imported.stderr
    result = harmgraph("query", PALANTIR_QUERY, "--format", "csv", store=any_store)
    assert result.returncode == 0, result.stderr
    assert "U.S. Immigration and Customs Enforcement,Palantir ImmigrationOS" in result.stdout


def test_query_refuses_updates(any_store: Path | str) -> None:
    refused = cli("query", "CLEAR ALL", store=any_store)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr


def test_query_from_file_in_json(any_store: Path | str, tmp_path: Path) -> None:
    cli("import", INCIDENT, store=any_store)
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?id WHERE { ?i a hg:Incident ; dcterms:identifier ?id }")
    result = cli("query", f"@{rq}", "--format", "json", store=any_store)
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["id"]["value"] for b in bindings] == ["INC-26-0068"]


def test_reimport_updates_instead_of_duplicating(any_store: Path | str) -> None:
    cli("import", INCIDENT, store=any_store)
    before = count(any_store)
    again = cli("import", INCIDENT, store=any_store)
    assert again.returncode == 0, again.stderr
    assert "0 incident(s) added, 1 updated" in again.stderr
    curated = cli(
        "query",
        "SELECT (COUNT(*) AS ?n) { GRAPH <https://w3id.org/harmgraph/graph/curated> { ?s ?p ?o } }",
        "--format",
        "csv",
        store=any_store,
    )
    assert curated.returncode == 0, curated.stderr
    # The incident's own triples are replaced, not added again: only provenance grows.
    assert int(curated.stdout.splitlines()[1]) < before
    titles = cli(
        "query",
        "SELECT ?t { ?i a hg:Incident ; dcterms:title ?t }",
        "--format",
        "csv",
        store=any_store,
    )
    assert len(titles.stdout.strip().splitlines()) == 2


def test_malformed_rdf_is_one_line_with_position_and_exit_2(store: Path) -> None:
    result = harmgraph("import", DATA / "bad" / "missing-dot.ttl", store=store)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "missing-dot.ttl:5:1" in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(store: Path) -> None:
    result = harmgraph("--debug", "import", DATA / "bad" / "missing-dot.ttl", store=store)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "no-such-file.ttl"), "no-such-file.ttl: no such file"),
        (("import",), "Missing argument"),
        (("import", "--format", "rdfxml", str(INCIDENT)), "rdfxml"),
        (("import", "--from", "csv", str(INCIDENT)), "unknown input kind 'csv'"),
        (("query", "SELEKT * {}"), "1:"),
        (("export", "--format", "yaml"), "yaml"),
    ],
)
def test_bad_input_gets_a_clear_message(store: Path, args: tuple[str, ...], message: str) -> None:
    result = cli(*args, store=store)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_violation_names_incident_property_and_message_and_writes_nothing(
    any_store: Path | str, tmp_path: Path
) -> None:
    cli("import", INCIDENT, store=any_store)
    before = count(any_store)
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        INCIDENT.read_text() + "\n<https://w3id.org/harmgraph/id/incident/broken> a hg:Incident ;"
        ' dcterms:title "Broken" .\n'
    )
    result = cli("import", broken, store=any_store)
    assert result.returncode == 1
    assert "incident/broken" in result.stderr or "incident/broken" in result.stdout
    assert "hg:developer" in result.stderr + result.stdout
    assert count(any_store) == before


def test_validate_files_and_all(any_store: Path | str) -> None:
    ok = harmgraph("validate", INCIDENT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("0 violations")
    cli("import", INCIDENT, store=any_store)
    whole = cli("validate", "--all", "--format", "json", store=any_store)
    assert whole.returncode == 0, whole.stderr
    assert json.loads(whole.stdout)["conforms"] is True
    text = cli("validate", "--all", store=any_store)
    assert "1 incident(s) checked" in text.stdout


def test_export_then_import_is_isomorphic(any_store: Path | str, tmp_path: Path) -> None:
    cli("import", INCIDENT, store=any_store)
    for fmt, suffix in (
        ("nquads", "nq"),
        ("trig", "trig"),
        ("turtle", "ttl"),
        ("ntriples", "nt"),
        ("jsonld", "jsonld"),
    ):
        out = tmp_path / f"dump.{suffix}"
        result = cli("export", "--format", fmt, "-o", out, store=any_store)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    first = tmp_path / "curated.ttl"
    exported = harmgraph(
        "export", "--format", "turtle", "--graph", "curated", "-o", first, store=any_store
    )
    assert exported.returncode == 0, exported.stderr
    other = tmp_path / "other"
    imported = cli("import", "--graph", "curated", first, store=other)
    assert imported.returncode == 0, imported.stderr
    second = tmp_path / "again.ttl"
    cli("export", "--format", "turtle", "--graph", "curated", "-o", second, store=other)
    a, b = Graph().parse(first), Graph().parse(second)
    assert len(a) > 100
    assert isomorphic(a, b)


def test_stats_counts_kinds(any_store: Path | str) -> None:
    cli("import", INCIDENT, store=any_store)
    result = harmgraph("stats", store=any_store)
    assert result.returncode == 0, result.stderr
    assert "incidents" in result.stdout


def test_query_writes_its_results_once_to_a_stdout_whose_buffer_is_in_memory() -> None:
    """Under click's CliRunner, stdout is a text wrapper over a BytesIO: the results go to
    that buffer and were then decoded and written a second time."""
    from typer.testing import CliRunner

    from graph.cli import _register_commands, app

    _register_commands()
    result = CliRunner().invoke(
        app, ["query", "--store", "memory", "--format", "csv", "SELECT (1 AS ?x) {}"]
    )
    assert result.exit_code == 0
    assert result.output.splitlines() == ["x", "1"]
