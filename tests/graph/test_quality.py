"""graph/quality.py: whole-store validation and the data-quality summary, on a small store."""

from __future__ import annotations

import pytest

from graph.quality import QualitySummary, quality_summary, validate_store
from graph.validation import get_validator
from tests.graph.quality_data import COMPLETE, WARNED, quality_store

#: Every test here runs on each store backend (tests/backends.py).
pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def summary() -> QualitySummary:
    store = quality_store()
    return quality_summary(store, validate_store(store, get_validator()))


def test_progress_is_reported_and_can_stop_the_validation() -> None:
    store = quality_store()
    seen: list[tuple[int, int]] = []
    validate_store(store, get_validator(), lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})  # no repeats

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        validate_store(store, get_validator(), stop)


def test_counts_per_severity_and_completeness(summary: QualitySummary) -> None:
    assert summary.incidents == 2
    assert summary.complete == 1
    assert dict(summary.by_severity) == {"Warning": 2, "Info": 2}


def test_counts_per_shape_carry_the_shape_message(summary: QualitySummary) -> None:
    by_path = {sc.path: sc for sc in summary.shapes}
    factor = by_path["hg:contributingFactor"]
    assert (factor.severity, factor.results, factor.incidents) == ("Warning", 1, 1)
    assert factor.shape.startswith("hgsh:")
    assert "contributing factor" in factor.message
    assert by_path["hg:harmType"].incidents == 2
    assert [sc.severity for sc in summary.shapes] == ["Warning", "Warning", "Info"]


def test_per_dataset_complete_and_incomplete(summary: QualitySummary) -> None:
    curated, aiid = summary.datasets["curated"], summary.datasets["aiid"]
    assert (curated.incidents, curated.complete, curated.with_warnings) == (1, 1, 0)
    assert (aiid.incidents, aiid.complete, aiid.with_warnings) == (1, 0, 1)
    assert aiid.results["Warning"] == 2


def test_incident_list_says_what_each_lacks_most_serious_first(summary: QualitySummary) -> None:
    first, second = summary.incident_list
    assert (first.iri, first.identifier, first.datasets) == (WARNED, "TEST-WARNED", ("aiid",))
    assert first.title == "Test incident <b>markup</b> & warnings"
    assert {(lack.severity, lack.path) for lack in first.lacks} == {
        ("Warning", "hg:contributingFactor"),
        ("Warning", "hg:severity"),
        ("Info", "hg:harmType"),
    }
    assert not first.complete
    assert second.iri == COMPLETE and second.complete
    assert list(summary.lacking) == [WARNED]  # the CLI's list: no Info-only incidents


def test_text_and_json(summary: QualitySummary) -> None:
    text = summary.to_text()
    assert "2 incident(s) checked, 1 complete" in text
    assert "aiid: 1 incidents, 0 complete, 0 with Violations, 1 with Warnings" in text
    data = summary.to_json()
    assert data["results"] == {"Violation": 0, "Warning": 2, "Info": 2}
    assert data["datasets"]["curated"]["complete"] == 1
