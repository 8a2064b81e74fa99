"""Fuzzing every parser harmgraph owns: a result or a clear HarmgraphError, never a crash.

Hypothesis generates random and near-valid inputs (mutations of the real files):
TopAIThreats pages and attribution sentences, AIID snapshot folders with generated
rows, upload bodies for ``POST /incidents`` and explorer query parameters. An
exception that is not a :class:`~graph.errors.HarmgraphError`, a 5xx, or a
traceback in a response fails the test. Runs are derandomised (the same examples
each time) and bounded. The upload and explorer tests, which reach a store, run on
each store backend (tests/backends.py), with one app per backend for the module.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph.errors import HarmgraphError
from graph.importers.aiid import load_snapshot
from graph.importers.attribution import parse as parse_attribution
from graph.importers.topaithreats import add_page
from graph.importers.topaithreats_page import parse_page
from graph.settings import PROJECT_ROOT
from tests.api.stores import SYNTHETIC, TOKEN, app_for, curated_store
from tests.backends import Shared

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PAGE = (PROJECT_ROOT / "data" / "topaithreats" / "INC-26-0068.txt").read_text(encoding="utf-8")
AIID = PROJECT_ROOT / "data" / "aiid"
TEXT = st.text(st.characters(codec="utf-8"), max_size=200)


@st.composite
def mutated(draw: st.DrawFn, original: str) -> str:
    """``original`` with a slice cut, replaced or repeated at drawn positions."""
    lines = original.splitlines(keepends=True)
    start = draw(st.integers(0, len(lines)))
    end = draw(st.integers(start, min(len(lines), start + 20)))
    action = draw(st.sampled_from(["cut", "replace", "repeat", "truncate"]))
    if action == "cut":
        lines[start:end] = []
    elif action == "replace":
        lines[start:end] = [draw(TEXT) + "\n"]
    elif action == "repeat":
        lines[start:start] = lines[start:end]
    else:
        return original[: draw(st.integers(0, len(original)))]
    return "".join(lines)


@FUZZ
@given(st.one_of(TEXT, mutated(PAGE)))
def test_topaithreats_pages_parse_or_fail_clearly(text: str) -> None:
    try:
        page = parse_page(text, file="fuzz.txt")
    except HarmgraphError:
        return
    with contextlib.suppress(HarmgraphError):
        add_page(Graph(), page)


SENTENCE = (
    "Palantir Technologies developed and U.S. Immigration and Customs Enforcement (ICE) "
    "deployed ImmigrationOS, harming immigrant communities; contributing factors: model "
    "opacity and accountability gaps."
)


@FUZZ
@given(st.one_of(TEXT, mutated(SENTENCE), st.text(alphabet="(),;:. andA-Zdevlopd", max_size=80)))
def test_attribution_sentences_parse_or_fail_clearly(sentence: str) -> None:
    with contextlib.suppress(HarmgraphError):
        parse_attribution(sentence, file="fuzz", line=1)


INCIDENT_COLUMNS = next(
    csv.reader(io.StringIO((AIID / "incidents.csv").read_text().split("\n")[0]))
)
CELL = st.one_of(
    TEXT,
    st.sampled_from(["", "[]", '["a-b"]', "[1,2", "2015-13-45", "-1", "1e9", "ObjectId(x)"]),
    st.dates().map(str),
    st.lists(st.from_regex(r"[a-z\-]{1,12}", fullmatch=True), max_size=3).map(
        lambda xs: "[" + ",".join(f'"{x}"' for x in xs) + "]"
    ),
)


@FUZZ
@given(
    st.lists(
        st.lists(CELL, min_size=len(INCIDENT_COLUMNS), max_size=len(INCIDENT_COLUMNS)),
        min_size=1,
        max_size=4,
    )
)
def test_aiid_snapshots_with_generated_rows_convert_or_fail_clearly(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("duplicates.csv", "classifications_CSETv1.csv", "classifications_GMF.csv",
                     "classifications_MIT.csv"):  # fmt: skip
            header = (AIID / name).read_text(encoding="utf-8").split("\n")[0]
            (folder / name).write_text(header + "\n", encoding="utf-8")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(INCIDENT_COLUMNS)
        writer.writerows(rows)
        (folder / "incidents.csv").write_text(out.getvalue(), encoding="utf-8")
        with contextlib.suppress(HarmgraphError):
            load_snapshot(folder)


TURTLE = SYNTHETIC.read_text(encoding="utf-8")
MEDIA = ["text/turtle", "application/n-triples", "application/ld+json", "application/trig",
         "application/n-quads"]  # fmt: skip


@pytest.fixture
def writer(backend: str, shared: Shared) -> TestClient:
    """One writable app per backend for the module: fuzzed uploads accumulate in it."""
    return shared.get("writer", lambda: TestClient(app_for(curated_store())))


def _clean(body: str) -> None:
    assert "Traceback" not in body and 'File "' not in body


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        mutated(TURTLE).map(str.encode),
        st.sampled_from([b"[" * 5000, b"{" * 5000, b"(" * 5000, b"@prefix : <" + b"a" * 5000]),
    ),
    st.sampled_from(MEDIA),
)
def test_upload_bodies_get_a_clear_answer(writer: TestClient, body: bytes, media: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": media}
    response = writer.post("/incidents?graph=fuzz", content=body, headers=headers)
    assert response.status_code in (201, 400, 409, 413, 415, 422), response.text[:300]
    if response.status_code != 201:
        assert response.headers["content-type"].startswith("application/problem+json")
    _clean(response.text)


@pytest.fixture
def reader(backend: str, shared: Shared) -> TestClient:
    """One app per backend over INC-26-0068, only read."""
    return shared.get("reader", lambda: TestClient(app_for(curated_store())))


PARAM = st.one_of(
    TEXT,
    st.sampled_from(["palantir", "ice", "0", "-1", "99999999999999999999", "1.5", "", "%",
                     "actor", "incident", "2025-13-01", "nan", "\x00", "../../etc"]),
)  # fmt: skip
ROUTES = [
    ("/search", ("q",)),
    ("/search.json", ("q", "kind", "limit")),
    ("/network", ("focus", "hops", "max", "mode", "type")),
    ("/network.json", ("focus", "severity", "region", "from", "to", "unknown", "size", "colour")),
    ("/path", ("from", "to", "hops")),
    ("/path.json", ("from", "to", "limit", "dataset", "status")),
]


@FUZZ
@given(st.sampled_from(ROUTES), st.data())
def test_explorer_parameters_get_a_clear_answer(
    reader: TestClient, route: tuple[str, tuple[str, ...]], data: st.DataObject
) -> None:
    path, names = route
    values = {name: data.draw(PARAM, label=name) for name in names}
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in values.items())
    response = reader.get(f"{path}?{query}")
    assert response.status_code < 500, (path, values, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith(
            ("application/problem+json", "text/html")
        )
    _clean(response.text)
