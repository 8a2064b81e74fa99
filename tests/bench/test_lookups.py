"""The point-lookup harness (bench/lookups.py): its variants and its table."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from bench import lookups
from bench.lookups import Variant, table


def test_the_doctests_pass() -> None:
    assert doctest.testmod(lookups).failed == 0


def test_a_variant_names_the_loop_the_parser_and_maybe_the_code() -> None:
    variant = Variant.parse("before=asyncio,h11,/srv/base")
    assert variant == Variant("before", "asyncio", "h11", Path("/srv/base"))
    server = variant.server(Path("/srv/work"), Path("/srv/work/data.nt"))
    assert server.name == "harmgraph[before]"
    assert server.cmd[-6:] == ["--loop", "asyncio", "--http", "h11", "--app-dir", "/srv/base"]
    assert server.env["PYTHONPATH"].split(os.pathsep)[0] == "/srv/base"


@pytest.mark.parametrize("spec", ["x", "=asyncio,h11", "x=asyncio", "x=a,b,c,d"])
def test_a_malformed_variant_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="NAME=LOOP,HTTP"):
        Variant.parse(spec)


def test_the_median_ratio_is_over_the_queries() -> None:
    def server(*p50: float) -> dict[str, object]:
        return {"queries": {q: {"p50_ms": v} for q, v in zip("abc", p50, strict=True)}}

    report = table({"harmgraph[x]": server(2, 9, 3), "oxigraph": server(1, 3, 3)}, list("abc"))
    assert report.splitlines()[-1].endswith("| 2.00 |")  # ratios 2, 3, 1
