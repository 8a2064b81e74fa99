"""Smoke test of bench/load_test.py: one small level against the app on 127.0.0.1."""

from __future__ import annotations

import asyncio

from api.main import create_app
from bench.load_test import request_mix, run_level
from graph.settings import Settings
from tests.api.conftest import Serve, serve  # noqa: F401 - the fixture, shared with tests/api
from tests.api.stores import curated_store


def test_a_level_counts_every_request_and_its_status(serve: Serve) -> None:  # noqa: F811
    base = serve(create_app(Settings(store="memory"), curated_store()))
    urls = ["/-/version", "/id/actor/palantir.json", "/sparql?query=ASK%7B%7D"]
    level = asyncio.run(run_level(base, urls, concurrency=3, count=9, cap=60))
    assert level.requests == 9
    assert level.statuses == {"200": 9}
    assert 0 < level.p50_ms <= level.p95_ms <= level.p99_ms
    assert len(request_mix()) > 24  # every worked example and the pages
