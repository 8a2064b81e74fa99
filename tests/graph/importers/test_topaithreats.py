"""Tests of graph/importers/topaithreats.py (and its page and section readers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from graph import model
from graph.errors import InputError
from graph.importers.topaithreats import add_page, import_pages, read_page
from graph.importers.topaithreats_page import parse_page
from graph.model import HG

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "data" / "topaithreats" / "INC-26-0068.txt"
FIXTURES = ROOT / "tests" / "data" / "topaithreats"


def _dump(graph: Graph) -> str:
    return "\n".join(sorted(line for line in graph.serialize(format="nt").splitlines() if line))


def test_golden_inc_26_0068() -> None:
    got = import_pages([PAGE])
    expected = Graph().parse(FIXTURES / "INC-26-0068.expected.ttl")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            f"only in the import:\n{_dump(only_got)}\n\nonly expected:\n{_dump(only_expected)}"
        )


def test_the_shipped_page_is_the_shared_one() -> None:
    shared = ROOT.parent / "shared" / "data" / "topaithreats" / "INC-26-0068.txt"
    if not shared.exists():
        pytest.skip("no ../shared next to the repository")
    assert PAGE.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize(
    ("fixture", "line", "field", "says"),
    [
        ("missing-attribution.txt", 7, "Attribution", "expected a section headed 'Attribution'"),
        ("malformed-attribution.txt", 9, "Attribution", "developed and <deployers> deployed"),
        ("sources-missing-url.txt", 62, "Sources", "expected the URL of source 2"),
        ("cites-missing-source.txt", 27, "Key Facts", "cites [4] but Sources lists 3"),
        ("bad-header.txt", 3, "Header", "expected 'INC-YY-NNNN <status> <severity>'"),
    ],
)
def test_bad_pages_name_file_section_and_line(
    fixture: str, line: int, field: str, says: str
) -> None:
    path = FIXTURES / "bad" / fixture
    with pytest.raises(InputError) as info:
        import_pages([PAGE, path])
    err = info.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert says in err.detail
    assert str(err).startswith(f"{path}:{line} [{field}]: ")


def _page(replace: dict[str, str] | None = None) -> str:
    """The shipped page with some texts replaced (each must occur in it)."""
    text = PAGE.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    return text


def _graph(text: str) -> Graph:
    g = Graph()
    add_page(g, parse_page(text, file="p.txt"))
    return g


def test_status_words_map_to_slugs() -> None:
    page = parse_page(_page({"confirmed high": "under investigation critical"}), file="p.txt")
    assert (page.status, page.severity) == ("under-investigation", "critical")


@pytest.mark.parametrize(
    ("words", "level"),
    [("Single source", "single-source"), ("Primary", "primary"), ("Corroborated", "corroborated")],
)
def test_evidence_level_from_the_update_log(words: str, level: str) -> None:
    text = _page({"Evidence: Corroborated": f"Evidence: {words}"})
    assert parse_page(text, file="p.txt").evidence == level


def test_newest_dated_log_entry_wins() -> None:
    text = _page().rstrip() + "\n  • 2026-04-02 — Evidence upgraded (Evidence: Primary)\n"
    assert parse_page(text, file="p.txt").evidence == "primary"


def test_unknown_evidence_level_is_an_error() -> None:
    with pytest.raises(InputError, match="unknown evidence level 'Rumour'") as info:
        parse_page(_page({"Evidence: Corroborated": "Evidence: Rumour"}), file="p.txt")
    assert (info.value.field, info.value.line) == ("Update Log", 68)


def test_outcomes_of_several_kinds() -> None:
    text = _page(
        {
            "Regulatory Action:\n": "Legal Action: Lawsuit filed[2]\nFinancial Impact:\n$30M\n"
            "Regulatory Action:\n"
        }
    )
    g = _graph(text)
    incident = model.mint("incident", "INC-26-0068")
    kinds = {
        str(g.value(o, HG.outcomeType)).rsplit("/", 1)[1]: str(g.value(o, DCTERMS.description))
        for o in g.objects(incident, HG.outcome)
    }
    assert kinds == {
        "legal": "Lawsuit filed",
        "financial": "$30M",
        "regulatory": "Civil liberties organizations have raised due process concerns",
    }


def test_dated_timeline_event_cites_its_source() -> None:
    text = _page(
        {
            "ICE pays Palantir $30 million for ImmigrationOS deployment\n": (
                "2025-04 — ICE pays Palantir $30 million for ImmigrationOS deployment[1]\n"
            )
        }
    )
    g = _graph(text)
    event = model.part(model.mint("incident", "INC-26-0068"), "event", 1)
    assert str(g.value(event, DCTERMS.date)) == "2025-04"
    assert g.value(event, PROV.wasDerivedFrom) == model.mint("source", "https://rollingstone.com")
    assert str(g.value(event, DCTERMS.description)).startswith("ICE pays Palantir")


def test_unknown_developer_becomes_a_per_incident_unknown() -> None:
    text = _page({"Palantir developed and": "An unknown developer developed and"})
    g = _graph(text)
    incident = model.mint("incident", "INC-26-0068")
    unknown = model.part(incident, "unknown", "developer")
    assert g.value(incident, HG.developer) == unknown
    assert (unknown, RDF.type, HG.Unknown) in g
    assert g.value(unknown, SKOS.note) is not None
    system = model.mint("system", "Palantir ImmigrationOS")
    assert g.value(system, HG.developer) == unknown


def test_a_page_twice_is_an_error(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(PAGE.read_bytes())
    with pytest.raises(InputError, match="also described by"):
        import_pages([PAGE, copy])


def test_non_utf8_page_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Zürich".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_page(path)


def test_import_conforms_to_the_shapes() -> None:
    validation = pytest.importorskip("graph.validation")
    report = validation.get_validator().validate(import_pages([PAGE]))
    assert report.conforms, report.to_text()
    assert not [r for r in report.warnings if "factor" in str(r.path)]


@given(st.text())
def test_garbage_page_raises_input_error_only(text: str) -> None:
    try:
        parse_page(text, file="g.txt")
    except InputError as exc:
        assert exc.file == "g.txt"


@given(st.data())
def test_damaged_page_parses_or_raises_input_error(data: st.DataObject) -> None:
    """Any subset of the page's lines either parses or is an InputError, never a crash."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    text = "\n".join(line for line, k in zip(lines, keep, strict=True) if k)
    try:
        _graph(text)
    except InputError as exc:
        assert exc.file == "p.txt" and exc.field


def test_domain_without_letters_is_an_input_error() -> None:
    text = _page({"the Privacy & Surveillance domain": "the & domain"})
    with pytest.raises(InputError, match="has no letters") as info:
        parse_page(text, file="p.txt")
    assert (info.value.field, info.value.line) == ("Use in Retrieval", 53)
