"""The suite's Markdown report (bench/report.py): per-query tables say "> t" for a peer
stopped at the time limit, and the section timings show where the run's time went."""

from __future__ import annotations

from typing import Any

from bench.report import markdown, ratios


def _query(p50: float, timed_out: bool = False) -> dict[str, Any]:
    return {"n": 5, "p50_ms": p50, "p95_ms": p50, "rows": 1, "timed_out": timed_out}


def _size() -> dict[str, Any]:
    latency = {
        "harmgraph": {"p50_ms": 10.0, "p95_ms": 12.0, "queries": {"q": _query(10.0)}},
        "oxigraph": {"p50_ms": 8.0, "p95_ms": 9.0, "queries": {"q": _query(8.0)}},
        "rdflib": {"p50_ms": 3000.0, "p95_ms": 3000.0, "queries": {"q": _query(3000.0, True)}},
    }
    size: dict[str, Any] = {
        "incidents": 1000,
        "endpoint": {"queries": ["q"], "latency": latency, "throughput_rps": {}},
        "section_s": {"generate": 0.5, "endpoint": 12.0},
        "explorer": {
            "first_request_s": 2.0,
            "views": {"/network": {"what": "whole", "median_ms": 40.0, "p90_ms": 50.0}},
        },
    }
    size["ratios"] = ratios(size)
    return size


def test_a_peer_stopped_at_the_time_limit_reads_as_a_lower_bound() -> None:
    text = markdown({"sizes": [_size()], "elapsed_s": 100.0})
    assert "| q | 10 | 8 | > 3,000 | 1.25 |" in text


def test_sections_and_explorer_views_are_reported() -> None:
    text = markdown({"sizes": [_size()], "elapsed_s": 100.0})
    assert "| endpoint | 12 |" in text
    assert "| whole | `/network` | 40 | 50 |" in text
    assert "Whole run: 100 s." in text
