"""Crash consistency: an import killed with SIGKILL leaves the store before or after it.

A real import runs in a subprocess over a copy of a store that already holds
synthetic incidents; the import re-describes half of them (titles revised: delete
and insert) and adds as many new ones. Each run is killed at a seeded random
moment, the store is reopened as a server would open it, and what a reader sees
(:func:`tests.reliability.stores.snapshot`) must equal the state before the import
or the state after it, provenance included, never something in between. Both
states validate without a Violation, so every killed store does too.

Two kinds of kill: anywhere in a ``python -m graph import`` run (its duration is
measured first), and inside the write itself, aimed by the driver's ``WRITING``
line (:mod:`tests.reliability.crash_driver`), since parsing and validation take
most of a run and a kill there proves little.

Embedded only: what survives a SIGKILL is the on-disk store's own files (a server
keeps its data in its own process, which the import's kill does not touch).
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.ingest import import_graph
from graph.io import parse
from graph.quality import validate_store
from graph.settings import PROJECT_ROOT
from graph.store import Store
from graph.validation import get_validator
from tests.reliability.stores import Snapshot, snapshot, synthetic_files

pytestmark = pytest.mark.slow

ANYWHERE_KILLS = 14
WRITE_KILLS = 12


def _cli(source: Path, store: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "graph",
        "import",
        str(source),
        "--graph",
        "syn",
        "--store",
        str(store),
    ]


def _driver(source: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "tests.reliability.crash_driver", str(source), str(store)]


def _start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )


def _kill(process: subprocess.Popen[str]) -> bool:
    """SIGKILL ``process``; whether it was still running (a real kill)."""
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return alive


def _clean_state(location: Path) -> Snapshot:
    """The snapshot of a store that must also validate without a Violation."""
    with Store.open(location) as store:
        report = validate_store(store, get_validator())
    assert report.conforms, report.to_text()
    return snapshot(location)


@dataclass(frozen=True)
class States:
    """The store before the import, the import's complete result and its timings."""

    folder: Path
    source: Path
    before_dir: Path
    before: Snapshot
    after: Snapshot
    #: Seconds of a whole ``harmgraph import`` run, start to exit.
    duration: float
    #: Seconds from the driver's WRITING line to its exit.
    write_time: float


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> States:
    """The store before the import, and the import's complete result with its timings."""
    folder = tmp_path_factory.mktemp("crash")
    base, source = synthetic_files(folder, total=120, base=60)
    before = folder / "before"
    with Store.open(before) as store:
        import_graph(store, parse(base), graph_name="syn", source="base", validator=get_validator())
    after = folder / "after"
    shutil.copytree(before, after)
    started = time.monotonic()
    subprocess.run(_cli(source, after), cwd=PROJECT_ROOT, check=True, capture_output=True)
    duration = time.monotonic() - started
    # The driver's write phase, measured from its WRITING line to its exit.
    probe = folder / "probe"
    shutil.copytree(before, probe)
    driver = _start(_driver(source, probe))
    assert driver.stdout is not None
    assert driver.stdout.readline().strip() == "WRITING"
    writing = time.monotonic()
    assert driver.wait(timeout=120) == 0
    write_time = time.monotonic() - writing
    result = States(
        folder, source, before, _clean_state(before), _clean_state(after), duration, write_time
    )
    assert snapshot(probe).data_hash == result.after.data_hash
    assert result.before.data_hash != result.after.data_hash
    return result


def _outcome(location: Path, states: States) -> str:
    seen = snapshot(location)
    if seen == states.before:
        return "before"
    if seen == states.after:
        return "after"
    raise AssertionError(f"a killed import left a partial state: {seen} not in {states}")


def _kill_runs(
    states: States, name: str, command: list[str], delay: float, wanted: int, seed: int
) -> tuple[int, Counter[str]]:
    """Start ``command`` on copies of the before-store and SIGKILL it after a seeded
    random part of ``delay`` (after its WRITING line, for the driver) until ``wanted``
    runs were really killed (at most 3x as many runs: run times vary with the load).
    Every run, killed or finished, must leave the store before or after the import."""
    rng = random.Random(seed)  # noqa: S311 - seeded kill moments, not secrets
    outcomes: Counter[str] = Counter()
    kills = 0
    for run in range(3 * wanted):
        if kills >= wanted:
            break
        work = states.folder / f"{name}-{run}"
        shutil.copytree(states.before_dir, work)
        process = _start([*command[:-1], str(work)])
        if name == "write":
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "WRITING"
        time.sleep(rng.uniform(0, delay))  # when to kill, not a synchronisation
        killed = _kill(process)
        kills += killed
        outcomes[_outcome(work, states) + (" (killed)" if killed else " (finished)")] += 1
        shutil.rmtree(work)
    return kills, outcomes


def test_import_killed_anywhere_leaves_the_store_before_or_after(states: States) -> None:
    command = _cli(states.source, states.folder / "unused")
    kills, outcomes = _kill_runs(
        states, "anywhere", command, 0.7 * states.duration, ANYWHERE_KILLS, 20260701
    )
    print(f"killed anywhere in {states.duration:.1f} s: {dict(outcomes)}")
    assert kills >= ANYWHERE_KILLS - 2, outcomes


def test_import_killed_during_its_write_leaves_the_store_before_or_after(
    states: States,
) -> None:
    command = _driver(states.source, states.folder / "unused")
    kills, outcomes = _kill_runs(states, "write", command, 0.9 * states.write_time, WRITE_KILLS, 7)
    print(f"killed inside a {states.write_time:.2f} s write: {dict(outcomes)}")
    assert kills >= WRITE_KILLS - 2, outcomes
