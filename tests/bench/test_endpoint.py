"""The endpoint benchmark's servers (bench/endpoint.py): measuring waits for idle servers."""

from __future__ import annotations

import subprocess
import sys

from bench.endpoint import settle


def test_settle_waits_while_a_server_computes_and_returns_once_it_is_idle() -> None:
    busy = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nend = time.time() + 1.5\nwhile time.time() < end: pass\ntime.sleep(60)",
        ]
    )
    try:
        waited = settle([busy.pid], timeout=30)
    finally:
        busy.kill()
        busy.wait()
    assert 1.0 <= waited < 10
